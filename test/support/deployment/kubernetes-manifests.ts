// A folder of Kubernetes manifests applied with `kubectl apply -k`: the files its
// kustomization.yaml lists, the objects in them, and each Deployment seen as the process it runs
// (the environment the app would get, where each variable comes from, where others reach it).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IService } from 'kubernetes-models/v1/Service';
import { parse, parseAllDocuments } from 'yaml';
import { STAND_INS } from './app-configuration.js';
import type { DeployedProcess } from './deployed-process.js';
import type { RuntimeStage } from './dockerfile.js';

export interface Kustomization {
  /** Files the kustomization lists that do not exist. */
  missing: string[];
  /** Manifest files in the folder it does not list: `kubectl apply -k` would leave them out. */
  unlisted: string[];
  objects: unknown[];
}

export function readKustomization(folder: string): Kustomization {
  const { resources = [] } = parse(readFileSync(path.join(folder, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
  const manifests = readdirSync(folder).filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml');
  return {
    missing: resources.filter((file) => !existsSync(path.join(folder, file))),
    unlisted: manifests.filter((file) => !resources.includes(file)),
    objects: resources
      .filter((file) => existsSync(path.join(folder, file)))
      .flatMap((file) => parseAllDocuments(readFileSync(path.join(folder, file), 'utf8')).map((document) => document.toJS() as unknown))
      .filter((object) => object !== null),
  };
}

/** Where a variable the manifest sets comes from. */
export type EnvSource = { from: 'value' } | { from: 'configMap'; name: string } | { from: 'secret'; name: string; key: string } | { from: 'elsewhere' };

export interface Workload {
  deployment: IDeployment;
  pod: IPodSpec;
  /** The app's container (the first). */
  container: IContainer;
  process: DeployedProcess;
  sources: Map<string, EnvSource>;
  /** References the environment cannot be read from (a ConfigMap that is not here, envFrom a Secret). */
  problems: string[];
}

export interface KubernetesTopology {
  workloads: Workload[];
  services: IService[];
  budgets: IPodDisruptionBudget[];
  configMaps: IConfigMap[];
  kinds: string[];
}

export function kubernetesTopology(objects: unknown[], image: RuntimeStage): KubernetesTopology {
  const ofKind = <T>(kind: string) => objects.filter((object) => (object as { kind?: string }).kind === kind) as T[];
  const configMaps = ofKind<IConfigMap>('ConfigMap');
  const services = ofKind<IService>('Service');
  const workloads = ofKind<IDeployment>('Deployment').map((deployment) => workload(deployment, configMaps, services, image));
  return { workloads, services, budgets: ofKind('PodDisruptionBudget'), configMaps, kinds: objects.map((object) => String((object as { kind?: string }).kind)) };
}

/** Every key of `selector` has the same value in `labels` (an empty selector selects nothing). */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => labels?.[key] === value);
}

function workload(deployment: IDeployment, configMaps: IConfigMap[], services: IService[], image: RuntimeStage): Workload {
  const name = deployment.metadata?.name ?? '(unnamed)';
  const pod = deployment.spec!.template.spec!;
  const container = pod.containers[0]!;
  const env: Record<string, string> = { ...image.env };
  const sources = new Map<string, EnvSource>();
  const problems: string[] = [];
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const configMap = configMaps.find(({ metadata }) => metadata?.name === source.configMapRef!.name);
      if (!configMap) problems.push(`${name}: envFrom names ConfigMap ${source.configMapRef.name}, which these manifests do not hold`);
      for (const [key, value] of Object.entries(configMap?.data ?? {})) {
        env[key] = value;
        sources.set(key, { from: 'configMap', name: source.configMapRef.name! });
      }
    } else {
      problems.push(`${name}: envFrom a Secret sets names nobody can read here; take each variable with secretKeyRef`);
    }
  }
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    const fromConfigMap = variable.valueFrom?.configMapKeyRef;
    if (variable.value !== undefined) {
      env[variable.name] = variable.value;
      sources.set(variable.name, { from: 'value' });
    } else if (secret) {
      env[variable.name] = STAND_INS[variable.name] ?? 'stand-in';
      sources.set(variable.name, { from: 'secret', name: secret.name!, key: secret.key });
    } else if (fromConfigMap) {
      const value = configMaps.find(({ metadata }) => metadata?.name === fromConfigMap.name)?.data?.[fromConfigMap.key];
      if (value === undefined) problems.push(`${name}: ${variable.name} comes from ConfigMap ${fromConfigMap.name} key ${fromConfigMap.key}, which these manifests do not hold`);
      else env[variable.name] = value;
      sources.set(variable.name, { from: 'configMap', name: fromConfigMap.name! });
    } else {
      sources.set(variable.name, { from: 'elsewhere' });
    }
  }
  const labels = deployment.spec!.template.metadata?.labels;
  const addresses = services
    .filter((service) => selects(service.spec?.selector, labels))
    .flatMap((service) => (service.spec?.ports ?? []).map(({ port }) => `${service.metadata?.name}:${port}`));
  return { deployment, pod, container, process: { name, env, sets: [...sources.keys()], addresses }, sources, problems };
}
