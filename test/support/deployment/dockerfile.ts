// The runtime stage of a Dockerfile (after its last FROM), as the deployment rules need it: the
// environment the image sets, its working folder, its user and its health check command.
/** The node images' `node` user, which docker/Dockerfile runs as: manifests name it by uid. */
export const IMAGE_USER_IDS: Record<string, number> = { node: 1000 };

export interface RuntimeStage {
  env: Record<string, string>;
  workdir: string;
  user: string | null;
  /** The HEALTHCHECK command as exec arguments (shell form runs through /bin/sh -c), or null. */
  healthcheck: string[] | null;
}

export function runtimeStage(dockerfile: string): RuntimeStage {
  const instructions = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const lastFrom = instructions.findLastIndex((line) => /^FROM\s/i.test(line));
  const stage: RuntimeStage = { env: {}, workdir: '/', user: null, healthcheck: null };
  for (const line of instructions.slice(lastFrom + 1)) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    switch (keyword.toUpperCase()) {
      case 'ENV':
        Object.assign(stage.env, environment(rest));
        break;
      case 'WORKDIR':
        stage.workdir = rest.startsWith('/') ? rest : `${stage.workdir.replace(/\/$/, '')}/${rest}`;
        break;
      case 'USER':
        stage.user = rest;
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = healthcheckCommand(rest);
        break;
    }
  }
  return stage;
}

// `ENV KEY=value KEY2="value 2"`, or the old `ENV KEY value`.
function environment(rest: string): Record<string, string> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(rest)) {
    const [, key = '', value = ''] = /^(\S+)\s+(.*)$/.exec(rest) ?? [];
    return { [key]: value };
  }
  const pairs = rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g);
  return Object.fromEntries([...pairs].map(([, key, value]) => [key!, value!.startsWith('"') ? (JSON.parse(value!) as string) : value!]));
}

function healthcheckCommand(rest: string): string[] | null {
  const command = /(?:^|\s)CMD\s+(.*)$/.exec(rest)?.[1];
  if (command === undefined) return null;
  return command.startsWith('[') ? (JSON.parse(command) as string[]) : ['/bin/sh', '-c', command];
}
