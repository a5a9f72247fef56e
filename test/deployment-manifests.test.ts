// The Kubernetes manifests of both topologies (docker/k8s/monolith, docker/k8s/split) and the image
// they run (docker/Dockerfile), checked offline: no cluster, no docker, no network. Objects are
// validated against the Kubernetes schemas kubernetes-models bundles; everything they ask of the
// application is checked against the application itself: its configuration loads each process's
// environment, tools/split-layout.ts says what the split hosts, and the probes' paths are asked of
// the app built in-process. The last block breaks a copy of the manifests one way per rule and
// expects that rule to say so.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { afterAll, describe, expect, it } from 'vitest';
import { splitLayout } from '../tools/split-layout.js';
import { appsOnDemand } from './support/deployment/apps-on-demand.js';
import { runtimeStage } from './support/deployment/dockerfile.js';
import { healthcheckProblems, imageUserProblems } from './support/deployment/dockerfile-rules.js';
import { kubernetesTopology, readKustomization, type KubernetesTopology } from './support/deployment/kubernetes-manifests.js';
import {
  podSecurityProblems,
  portProblems,
  probePathProblems,
  resourceProblems,
  secretProblems,
  selectorProblems,
  shutdownProblems,
} from './support/deployment/kubernetes-rules.js';
import { schemaProblems } from './support/deployment/kubernetes-schema.js';
import { configurationProblems, remoteModuleProblems, splitLayoutProblems } from './support/deployment/process-rules.js';
import { freePort } from './support/free-port.js';

const dockerfile = readFileSync(new URL('../docker/Dockerfile', import.meta.url), 'utf8');
const image = runtimeStage(dockerfile);

const TOPOLOGIES = [
  { folder: 'docker/k8s/monolith', entry: 'shop' },
  { folder: 'docker/k8s/split', entry: 'shop-gateway' },
];
const kustomization = (folder: string) => readKustomization(fileURLToPath(new URL(`../${folder}`, import.meta.url)));
const objectsOf = (folder: string) => kustomization(folder).objects;

/** Every problem the synchronous rules find, for a topology whose clients arrive at `entry`. */
function problems(objects: unknown[], entry: string): string[] {
  const topology = kubernetesTopology(objects, image);
  return [
    ...objects.flatMap((object) => schemaProblems(object).map((problem) => `${nameOf(object)}: ${problem}`)),
    ...topology.workloads.flatMap((workload) => [...workload.problems, ...configurationProblems(workload.process)]),
    ...secretProblems(topology),
    ...remoteModuleProblems(processesOf(topology), entry),
    ...portProblems(topology),
    ...selectorProblems(topology),
    ...podSecurityProblems(topology, image),
    ...resourceProblems(topology),
    ...shutdownProblems(topology),
  ];
}

const processesOf = (topology: KubernetesTopology) => topology.workloads.map(({ process }) => process);
const nameOf = (object: unknown) => {
  const { kind, metadata } = object as { kind?: string; metadata?: { name?: string } };
  return `${kind} ${metadata?.name}`;
};

const apps = appsOnDemand();
afterAll(() => apps.close());

describe.each(TOPOLOGIES)('$folder', ({ folder, entry }) => {
  const { missing, unlisted, objects } = kustomization(folder);
  const topology = kubernetesTopology(objects, image);

  it('lists every manifest of the folder in kustomization.yaml, and only files that exist', () => {
    expect({ missing, unlisted }).toEqual({ missing: [], unlisted: [] });
    expect(topology.workloads.length).toBeGreaterThan(0);
  });

  it('holds only objects the Kubernetes schemas accept, with no field Kubernetes does not know', () => {
    expect(objects.flatMap((object) => schemaProblems(object).map((problem) => `${nameOf(object)}: ${problem}`))).toEqual([]);
  });

  it("gives each process an environment production starts with, setting nothing its configuration does not read", () => {
    expect(topology.workloads.flatMap((workload) => [...workload.problems, ...configurationProblems(workload.process)])).toEqual([]);
  });

  it('takes every secret, and the card gateway, from the Secret whoever deploys creates, and commits none', () => {
    expect(secretProblems(topology)).toEqual([]);
  });

  it('has each process reach every module it needs at a Service of a Deployment hosting it; clients arrive where all are served', () => {
    expect(remoteModuleProblems(processesOf(topology), entry)).toEqual([]);
  });

  it("listens, probes and serves on the app's port", () => {
    expect(portProblems(topology)).toEqual([]);
  });

  it('probes paths the app answers: readiness checks dependencies, liveness does not', async () => {
    expect(await probePathProblems(topology, (workload, probePath) => apps.ask(workload.process.env, probePath))).toEqual([]);
  });

  it("selects each Deployment's own pods, behind one Service and one PodDisruptionBudget", () => {
    expect(selectorProblems(topology)).toEqual([]);
  });

  it("runs as the image's unprivileged user on a read-only root filesystem, DATA_DIR on a volume", () => {
    expect(podSecurityProblems(topology, image)).toEqual([]);
  });

  it('sets CPU and memory requests and limits', () => {
    expect(resourceProblems(topology)).toEqual([]);
  });

  it('outlasts the app stopping with its grace period, and notices the drain through readiness in time', () => {
    expect(shutdownProblems(topology)).toEqual([]);
  });
});

describe('docker/k8s/split', () => {
  it('runs the processes of tools/split-layout.ts, each hosting and forwarding the same modules', () => {
    const topology = kubernetesTopology(objectsOf('docker/k8s/split'), image);
    expect(splitLayoutProblems(processesOf(topology), splitLayout(3000), (name) => `shop-${name}`)).toEqual([]);
  });
});

describe('docker/Dockerfile', () => {
  it('runs as a user other than root, whose uid the manifests name', () => {
    expect(imageUserProblems(image)).toEqual([]);
  });

  it("has a HEALTHCHECK that asks the app's liveness on PORT, and fails when nothing answers", async () => {
    const monolith = kubernetesTopology(objectsOf('docker/k8s/monolith'), image).workloads[0]!.process.env;
    const { port } = await apps.listening(monolith);
    const running = { port, ask: (probePath: string) => apps.ask(monolith, probePath) };
    expect(await healthcheckProblems(image, running, await freePort())).toEqual([]);
  });
});

describe('each rule reports a manifest that breaks it', () => {
  const monolith = objectsOf('docker/k8s/monolith');
  const split = objectsOf('docker/k8s/split');

  /** A copy of `objects` with one edit, and what the rules say about it. */
  function broken(objects: unknown[], edit: (copy: Editable) => void, entry = 'shop'): string[] {
    const copy = structuredClone(objects);
    edit(new Editable(copy));
    return problems(copy, entry);
  }

  it('is quiet about the real manifests (so every problem below is the edit)', () => {
    expect(problems(monolith, 'shop')).toEqual([]);
    expect(problems(split, 'shop-gateway')).toEqual([]);
  });

  it('lists a manifest kustomization.yaml leaves out, and one it names that does not exist', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'shop-kustomization-'));
    try {
      await writeFile(path.join(folder, 'kustomization.yaml'), 'resources:\n  - shop.yaml\n');
      await writeFile(path.join(folder, 'forgotten.yaml'), 'kind: ConfigMap\n');
      const { missing, unlisted } = readKustomization(folder);
      expect({ missing, unlisted }).toEqual({ missing: ['shop.yaml'], unlisted: ['forgotten.yaml'] });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('schema: a misspelt field, a value of the wrong type, a kind these manifests do not use', () => {
    const found = broken(monolith, (copy) => {
      const container = copy.deployment('shop').spec!.template.spec!.containers[0]! as unknown as Record<string, unknown>;
      container.readinesProbe = container.readinessProbe;
      (copy.deployment('shop').spec as { replicas: unknown }).replicas = 'two';
      copy.objects.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray' } });
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'Deployment shop: /spec/template/spec/containers/0/readinesProbe: unknown field',
        expect.stringMatching(/^Deployment shop: \/spec\/replicas: type/),
        expect.stringMatching(/^Pod stray: v1 Pod is not a kind these manifests use/),
      ]),
    );
  });

  it('configuration: a variable the app never reads, one its process does not read, a refused start', () => {
    const found = broken(split, (copy) => {
      copy.env('shop-gateway').push({ name: 'SHOP_LOG_LEVEL', value: 'debug' }, { name: 'CARD_GATEWAY', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'CARD_GATEWAY' } } });
      copy.removeEnv('shop-orders', 'JWT_SECRET');
    }, 'shop-gateway');
    expect(found).toEqual(
      expect.arrayContaining([
        'shop-gateway: sets SHOP_LOG_LEVEL, which its configuration never reads',
        'shop-gateway: sets CARD_GATEWAY, which its configuration never reads',
        'shop-orders: production would refuse to start: JWT_SECRET is required when NODE_ENV=production',
      ]),
    );
  });

  it('secrets: a secret written in the manifest, one in the ConfigMap, a Secret committed', () => {
    const found = broken(monolith, (copy) => {
      copy.removeEnv('shop', 'METRICS_TOKEN');
      copy.env('shop').push({ name: 'METRICS_TOKEN', value: 'Vb6Nm1Qa9Ws3Ed7Rf2Tg5Yh8Uj0Ik4Ol6Pz9Xc2Vb5Nm' });
      copy.configMap('shop-config').data!.CARD_GATEWAY = 'simulated';
      copy.objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-secrets' } });
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'a Secret is committed with the manifests; whoever deploys creates it',
        'ConfigMap shop-config: holds CARD_GATEWAY, which comes from the Secret shop-secrets',
        'shop: METRICS_TOKEN must come from the Secret shop-secrets (key METRICS_TOKEN), not a value',
      ]),
    );
  });

  it('remote modules: a URL where nothing listens, one to a process not hosting the module, a module nobody forwards', () => {
    const found = broken(split, (copy) => {
      copy.setEnv('shop-orders', 'REMOTE_MODULES', 'users=http://shop-users:3000,products=http://shop-payments:3000');
      copy.setEnv('shop-gateway', 'REMOTE_MODULES', 'orders=http://shop-orders:3000');
    }, 'shop-gateway');
    expect(found).toEqual(
      expect.arrayContaining([
        'shop-orders: REMOTE_MODULES sends users to http://shop-users:3000, where no process of this deployment listens',
        'shop-orders: REMOTE_MODULES sends products to http://shop-payments:3000, but shop-payments does not host products',
        'shop-gateway: clients arrive here, but it neither hosts nor forwards payments',
      ]),
    );
  });

  it('split layout: a process hosting other modules, a setting tools/split-layout.ts gives that is missing', () => {
    const copy = structuredClone(split);
    new Editable(copy).setEnv('shop-payments', 'MODULES', 'payments,users');
    new Editable(copy).removeEnv('shop-orders', 'RATE_LIMIT_MAX');
    const topology = kubernetesTopology(copy, image);
    expect(splitLayoutProblems(processesOf(topology), splitLayout(3000), (name) => `shop-${name}`)).toEqual([
      'shop-orders: RATE_LIMIT_MAX is unset, but tools/split-layout.ts sets 0',
      'shop-payments: hosts payments,users, but tools/split-layout.ts has payments',
    ]);
  });

  it("ports: a probe on another port, a Service targeting another port", () => {
    const found = broken(monolith, (copy) => {
      copy.deployment('shop').spec!.template.spec!.containers[0]!.readinessProbe!.httpGet!.port = 8080;
      copy.service('shop').spec!.ports![0]!.targetPort = 8080;
    });
    expect(found).toEqual(
      expect.arrayContaining([
        "shop: readinessProbe asks port 8080, not the app's 3000",
        "Service shop: targets port 8080 of shop, not the app's 3000",
      ]),
    );
  });

  it('probe paths: one the app does not serve, readiness that checks nothing, liveness that checks the database', async () => {
    const copy = structuredClone(monolith);
    const container = new Editable(copy).deployment('shop').spec!.template.spec!.containers[0]!;
    container.startupProbe!.httpGet!.path = '/healthz';
    container.readinessProbe!.httpGet!.path = '/health/live';
    container.livenessProbe!.httpGet!.path = '/health/ready';
    const found = await probePathProblems(kubernetesTopology(copy, image), (workload, probePath) => apps.ask(workload.process.env, probePath));
    expect(found).toEqual([
      'shop: livenessProbe asks /health/ready, which checks dependencies: an outage would restart every pod',
      'shop: readinessProbe asks /health/live, which checks no dependency',
      'shop: startupProbe asks /healthz, which answers 404',
    ]);
  });

  it('selectors: a Service selecting no Deployment, a Deployment without a disruption budget', () => {
    const found = broken(monolith, (copy) => {
      copy.service('shop').spec!.selector!['app.kubernetes.io/component'] = 'monolit';
      copy.objects.splice(copy.objects.indexOf(copy.budget('shop')), 1);
    });
    expect(found).toEqual(
      expect.arrayContaining(['shop: no Service selects it', 'shop: 0 PodDisruptionBudgets select it, not 1', 'Service shop: selects 0 Deployments, not 1']),
    );
  });

  it('security: root, a writable root filesystem, DATA_DIR on no volume under a read-only root', () => {
    const rootUser = broken(monolith, (copy) => {
      const pod = copy.deployment('shop').spec!.template.spec!;
      pod.securityContext!.runAsUser = 0;
      pod.containers[0]!.securityContext!.readOnlyRootFilesystem = false;
    });
    expect(rootUser).toEqual(
      expect.arrayContaining(['shop: runAsUser must be a non-zero uid (runAsNonRoot cannot check the image\'s user by name)', 'shop: the root filesystem is writable']),
    );
    const noVolume = broken(monolith, (copy) => {
      copy.deployment('shop').spec!.template.spec!.containers[0]!.volumeMounts = [];
    });
    expect(noVolume).toEqual(['shop: DATA_DIR /tmp/shop-data, where start-up writes, is on no writable volume']);
  });

  it('resources: no limits', () => {
    const found = broken(monolith, (copy) => {
      delete copy.deployment('shop').spec!.template.spec!.containers[0]!.resources!.limits;
    });
    expect(found).toEqual(['shop: no cpu limits', 'shop: no memory limits']);
  });

  it('shutdown: a grace period shorter than the app takes to stop, readiness too slow for the drain', () => {
    const found = broken(monolith, (copy) => {
      const pod = copy.deployment('shop').spec!.template.spec!;
      pod.terminationGracePeriodSeconds = 15;
      Object.assign(pod.containers[0]!.readinessProbe!, { periodSeconds: 10, timeoutSeconds: 1 });
    });
    expect(found).toEqual([
      "shop: terminationGracePeriodSeconds 15 s does not outlast the app's 20 s to stop (drain, timeout, margin)",
      'shop: readiness notices a drain after 20 s, longer than SHUTDOWN_DRAIN_MS 5 s',
      'shop: readinessProbe times out after 1 s, before a dependency check may answer (2 s)',
    ]);
  });

  it('image: root, a HEALTHCHECK on a path the app does not serve', async () => {
    const rootImage = runtimeStage(dockerfile.replace(/^USER node$/m, 'USER root').replaceAll('/health/live', '/healthz'));
    expect(imageUserProblems(rootImage)).toEqual(['the image runs as root']);
    const monolithEnv = kubernetesTopology(monolith, image).workloads[0]!.process.env;
    const { port } = await apps.listening(monolithEnv);
    const running = { port, ask: (probePath: string) => apps.ask(monolithEnv, probePath) };
    expect(await healthcheckProblems(rootImage, running, await freePort())).toEqual([
      'HEALTHCHECK asks /healthz, which answers 404',
      `HEALTHCHECK fails against the app listening on PORT=${port}`,
    ]);
  });
});

/** Typed access to the objects of a copy, by kind and name, for the edits above. */
class Editable {
  constructor(readonly objects: unknown[]) {}

  private named<T>(kind: string, name: string): T {
    const found = this.objects.find((object) => nameOf(object) === `${kind} ${name}`);
    if (!found) throw new Error(`no ${kind} ${name}`);
    return found as T;
  }

  deployment = (name: string) => this.named<IDeployment>('Deployment', name);
  service = (name: string) => this.named<IService>('Service', name);
  budget = (name: string) => this.named<IPodDisruptionBudget>('PodDisruptionBudget', name);
  configMap = (name: string) => this.named<IConfigMap>('ConfigMap', name);

  env(deployment: string) {
    return (this.deployment(deployment).spec!.template.spec!.containers[0]!.env ??= []);
  }

  setEnv(deployment: string, name: string, value: string) {
    this.removeEnv(deployment, name);
    this.env(deployment).push({ name, value });
  }

  removeEnv(deployment: string, name: string) {
    const env = this.env(deployment);
    env.splice(0, env.length, ...env.filter((variable) => variable.name !== name));
  }
}
