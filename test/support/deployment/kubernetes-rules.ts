// Rules for Kubernetes manifests beyond their schema: secrets come from the operator's Secret,
// every port and probe is the app's, Services and budgets select the Deployments, pods run as the
// image's unprivileged user on a read-only root, with resources, and stop within their grace
// period. Each returns its problems, one line each; none means the rule holds.
import path from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { CHECK_TIMEOUT_MS } from '../../../src/platform/http/health.js';
import { loadConfiguration, OPERATOR_CHOSEN } from './app-configuration.js';
import type { ProbeAnswer } from './deployed-process.js';
import { IMAGE_USER_IDS, type RuntimeStage } from './dockerfile.js';
import { selects, type KubernetesTopology, type Workload } from './kubernetes-manifests.js';

/** The Secret whoever deploys creates (README, "Production"); its keys are the variables' names. */
export const SECRET_NAME = 'shop-secrets';

/** main.ts exits on its own this long after the drain and the shutdown timeout have passed. */
const APP_EXIT_MARGIN_MS = 5000;

/** Kubernetes' defaults for what a manifest leaves out. */
const DEFAULT_GRACE_SECONDS = 30;
const PROBE_DEFAULTS = { periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 };

const configOf = (workload: Workload) => loadConfiguration(workload.process.env).config;

export function secretProblems(topology: KubernetesTopology): string[] {
  const problems = topology.kinds.includes('Secret') ? ['a Secret is committed with the manifests; whoever deploys creates it'] : [];
  for (const configMap of topology.configMaps) {
    for (const key of Object.keys(configMap.data ?? {})) {
      if (OPERATOR_CHOSEN.includes(key)) problems.push(`ConfigMap ${configMap.metadata?.name}: holds ${key}, which comes from the Secret ${SECRET_NAME}`);
    }
  }
  for (const { process, sources } of topology.workloads) {
    for (const name of OPERATOR_CHOSEN) {
      const source = sources.get(name);
      if (source && !(source.from === 'secret' && source.name === SECRET_NAME && source.key === name)) {
        problems.push(`${process.name}: ${name} must come from the Secret ${SECRET_NAME} (key ${name}), not ${source.from === 'secret' ? `Secret ${source.name} key ${source.key}` : `a ${source.from}`}`);
      }
    }
  }
  return problems;
}

/** The container listens on the app's port; probes and Services reach that port. */
export function portProblems(topology: KubernetesTopology): string[] {
  const problems: string[] = [];
  for (const workload of topology.workloads) {
    const port = configOf(workload)?.port;
    if (port === undefined) continue; // configurationProblems says why
    const { name } = workload.process;
    if (!(workload.container.ports ?? []).some(({ containerPort }) => containerPort === port)) problems.push(`${name}: declares no containerPort ${port}, where the app listens`);
    for (const [kind, probe] of probesOf(workload.container)) {
      if (!probe) problems.push(`${name}: has no ${kind}`);
      else if (!probe.httpGet) problems.push(`${name}: ${kind} is not an httpGet`);
      else if (resolvePort(probe.httpGet.port, workload.container) !== port) problems.push(`${name}: ${kind} asks port ${probe.httpGet.port}, not the app's ${port}`);
    }
    for (const service of topology.services.filter((service) => selects(service.spec?.selector, workload.deployment.spec?.template.metadata?.labels))) {
      for (const servicePort of service.spec?.ports ?? []) {
        const target = resolvePort(servicePort.targetPort ?? servicePort.port, workload.container);
        if (target !== port) problems.push(`Service ${service.metadata?.name}: targets port ${servicePort.targetPort ?? servicePort.port} of ${name}, not the app's ${port}`);
        if (servicePort.port !== port) problems.push(`Service ${service.metadata?.name}: serves port ${servicePort.port}; use the app's ${port}, so every URL names one port`);
      }
    }
  }
  return problems;
}

/**
 * Each probe's path answers 200 in the app the Deployment runs (`ask` sends a GET there). Readiness
 * must be the answer that checks dependencies (it names `checks`); liveness and start-up must not,
 * or a database outage would restart every pod.
 */
export async function probePathProblems(topology: KubernetesTopology, ask: (workload: Workload, path: string) => Promise<ProbeAnswer>): Promise<string[]> {
  const problems: string[] = [];
  for (const workload of topology.workloads) {
    for (const [kind, probe] of probesOf(workload.container)) {
      const probePath = probe?.httpGet?.path;
      if (probePath === undefined) continue; // portProblems says why
      const { status, body } = await ask(workload, probePath);
      const checksDependencies = typeof body === 'object' && body !== null && 'checks' in body;
      if (status !== 200) problems.push(`${workload.process.name}: ${kind} asks ${probePath}, which answers ${status}`);
      else if (kind === 'readinessProbe' && !checksDependencies) problems.push(`${workload.process.name}: readinessProbe asks ${probePath}, which checks no dependency`);
      else if (kind !== 'readinessProbe' && checksDependencies) problems.push(`${workload.process.name}: ${kind} asks ${probePath}, which checks dependencies: an outage would restart every pod`);
    }
  }
  return problems;
}

/** Each Deployment selects its own pods, is reached through one Service or more and has one disruption budget. */
export function selectorProblems(topology: KubernetesTopology): string[] {
  const problems: string[] = [];
  const labelsOf = (workload: Workload) => workload.deployment.spec?.template.metadata?.labels;
  for (const workload of topology.workloads) {
    const { name } = workload.process;
    if (!selects(workload.deployment.spec?.selector.matchLabels, labelsOf(workload))) problems.push(`${name}: its selector does not select its own pod template`);
    if (workload.process.addresses.length === 0) problems.push(`${name}: no Service selects it`);
    const budgets = topology.budgets.filter((budget) => selects(budget.spec?.selector?.matchLabels, labelsOf(workload)));
    if (budgets.length !== 1) problems.push(`${name}: ${budgets.length} PodDisruptionBudgets select it, not 1`);
    for (const budget of budgets) {
      const replicas = workload.deployment.spec?.replicas ?? 1;
      if (typeof budget.spec?.minAvailable === 'number' && budget.spec.minAvailable >= replicas) problems.push(`PodDisruptionBudget ${budget.metadata?.name}: minAvailable ${budget.spec.minAvailable} of ${replicas} replicas blocks every node drain`);
    }
  }
  for (const service of topology.services) {
    const selected = topology.workloads.filter((workload) => selects(service.spec?.selector, labelsOf(workload)));
    if (selected.length !== 1) problems.push(`Service ${service.metadata?.name}: selects ${selected.length} Deployments, not 1`);
  }
  for (const budget of topology.budgets) {
    if (!topology.workloads.some((workload) => selects(budget.spec?.selector?.matchLabels, labelsOf(workload)))) problems.push(`PodDisruptionBudget ${budget.metadata?.name}: selects no Deployment`);
  }
  return problems;
}

/** The image's unprivileged user, no privileges to gain, a read-only root, DATA_DIR on a volume. */
export function podSecurityProblems(topology: KubernetesTopology, image: RuntimeStage): string[] {
  const problems: string[] = [];
  for (const workload of topology.workloads) {
    const { name } = workload.process;
    const pod = workload.pod.securityContext ?? {};
    const container = workload.container.securityContext ?? {};
    const runAsUser = container.runAsUser ?? pod.runAsUser;
    const imageUserId = image.user === null ? undefined : (IMAGE_USER_IDS[image.user] ?? Number(image.user));
    if ((container.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${name}: runAsNonRoot is not true`);
    if (runAsUser === undefined || runAsUser === 0) problems.push(`${name}: runAsUser must be a non-zero uid (runAsNonRoot cannot check the image's user by name)`);
    else if (imageUserId !== undefined && !Number.isNaN(imageUserId) && runAsUser !== imageUserId) problems.push(`${name}: runs as uid ${runAsUser}, not the image's ${image.user} (${imageUserId})`);
    if (container.allowPrivilegeEscalation !== false) problems.push(`${name}: allowPrivilegeEscalation is not false`);
    if (!container.capabilities?.drop?.includes('ALL')) problems.push(`${name}: does not drop ALL capabilities`);
    if (container.readOnlyRootFilesystem !== true) problems.push(`${name}: the root filesystem is writable`);
    const dataDir = path.posix.resolve(image.workdir, workload.process.env.DATA_DIR ?? '.data');
    const volumes = new Set((workload.pod.volumes ?? []).map((volume) => volume.name));
    const writable = (workload.container.volumeMounts ?? []).some(
      (mount) => !mount.readOnly && volumes.has(mount.name) && (dataDir === mount.mountPath || dataDir.startsWith(`${mount.mountPath.replace(/\/$/, '')}/`)),
    );
    if (container.readOnlyRootFilesystem === true && !writable) problems.push(`${name}: DATA_DIR ${dataDir}, where start-up writes, is on no writable volume`);
  }
  return problems;
}

export function resourceProblems(topology: KubernetesTopology): string[] {
  return topology.workloads.flatMap(({ process, container }) =>
    (['requests', 'limits'] as const).flatMap((kind) =>
      ['cpu', 'memory'].filter((resource) => container.resources?.[kind]?.[resource] === undefined).map((resource) => `${process.name}: no ${resource} ${kind}`),
    ),
  );
}

/**
 * A stopping pod is killed only after the app's own bound on stopping; readiness notices the drain
 * within it; and a readiness probe waits longer than the app's dependency checks may take.
 */
export function shutdownProblems(topology: KubernetesTopology): string[] {
  const problems: string[] = [];
  for (const workload of topology.workloads) {
    const config = configOf(workload);
    if (!config) continue; // configurationProblems says why
    const { name } = workload.process;
    const graceMs = (workload.pod.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
    const stoppingMs = config.shutdownDrainMs + config.shutdownTimeoutMs + APP_EXIT_MARGIN_MS;
    if (graceMs <= stoppingMs) problems.push(`${name}: terminationGracePeriodSeconds ${graceMs / 1000} s does not outlast the app's ${stoppingMs / 1000} s to stop (drain, timeout, margin)`);
    const readiness = { ...PROBE_DEFAULTS, ...workload.container.readinessProbe };
    const noticeMs = readiness.periodSeconds * readiness.failureThreshold * 1000;
    if (noticeMs > config.shutdownDrainMs) problems.push(`${name}: readiness notices a drain after ${noticeMs / 1000} s, longer than SHUTDOWN_DRAIN_MS ${config.shutdownDrainMs / 1000} s`);
    if (readiness.timeoutSeconds * 1000 <= CHECK_TIMEOUT_MS) problems.push(`${name}: readinessProbe times out after ${readiness.timeoutSeconds} s, before a dependency check may answer (${CHECK_TIMEOUT_MS / 1000} s)`);
  }
  return problems;
}

function probesOf(container: IContainer): [string, IProbe | undefined][] {
  return [
    ['livenessProbe', container.livenessProbe],
    ['readinessProbe', container.readinessProbe],
    ...(container.startupProbe ? ([['startupProbe', container.startupProbe]] as [string, IProbe][]) : []),
  ];
}

/** A port given by number, or by the name of one of the container's ports. */
function resolvePort(port: number | string, container: IContainer): number | undefined {
  return typeof port === 'number' ? port : container.ports?.find(({ name }) => name === port)?.containerPort;
}
