// Checks a Kubernetes object against the API's own schemas, as bundled (compiled) by
// kubernetes-models, for the kinds the deployment uses. Those schemas accept fields they do not
// define, while `kubectl apply` refuses them: so a misspelt field (`readinesProbe`) would pass
// silently. The compiled validators read exactly the fields their schema defines (and iterate
// maps), so a field of the object that validation never read is one Kubernetes does not know.
import { validate as deployment } from 'kubernetes-models/_schemas/IoK8sApiAppsV1Deployment';
import { validate as configMap } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap';
import { validate as service } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Service';
import { validate as podDisruptionBudget } from 'kubernetes-models/_schemas/IoK8sApiPolicyV1PodDisruptionBudget';

type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; keyword: string; params: unknown }[] | null };

const VALIDATORS: Record<string, Validate> = {
  'apps/v1 Deployment': deployment,
  'v1 ConfigMap': configMap,
  'v1 Service': service,
  'policy/v1 PodDisruptionBudget': podDisruptionBudget,
};

/** Problems of one object, each naming the field: schema violations and unknown fields. */
export function schemaProblems(object: unknown): string[] {
  const { apiVersion, kind } = (object ?? {}) as { apiVersion?: unknown; kind?: unknown };
  const validate = VALIDATORS[`${String(apiVersion)} ${String(kind)}`];
  if (!validate) return [`${String(apiVersion)} ${String(kind)} is not a kind these manifests use (${Object.keys(VALIDATORS).join(', ')})`];
  const { data, fieldsRead } = recordingReads(object);
  const problems = validate(data)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.keyword} ${JSON.stringify(error.params)}`);
  return [...problems, ...unreadFields(object, fieldsRead).map((path) => `${path}: unknown field`)];
}

/** A view of `object` that records, by path, the keys anything reads (or enumerates) on it. */
function recordingReads(object: unknown): { data: unknown; fieldsRead: Map<string, Set<string>> } {
  const fieldsRead = new Map<string, Set<string>>();
  const wrap = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const keys = new Set<string>();
    fieldsRead.set(path, keys);
    return new Proxy(value, {
      get(target, key, receiver) {
        const child = Reflect.get(target, key, receiver) as unknown;
        if (typeof key !== 'string') return child;
        keys.add(key);
        return wrap(child, `${path}/${key}`);
      },
      ownKeys(target) {
        const all = Reflect.ownKeys(target);
        for (const key of all) if (typeof key === 'string') keys.add(key);
        return all;
      },
    });
  };
  return { data: wrap(object, ''), fieldsRead };
}

function unreadFields(value: unknown, fieldsRead: Map<string, Set<string>>, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    Array.isArray(value) || fieldsRead.get(path)?.has(key) ? unreadFields(child, fieldsRead, `${path}/${key}`) : [`${path}/${key}`],
  );
}
