// Rules for the image: it runs as an unprivileged user whose uid the manifests can name, and its
// HEALTHCHECK really asks the app's liveness on the port the app reads from PORT. Each returns its
// problems, one line each; none means the rule holds.
import { execFile } from 'node:child_process';
import type { ProbeAnswer } from './deployed-process.js';
import { IMAGE_USER_IDS, type RuntimeStage } from './dockerfile.js';

export function imageUserProblems(image: RuntimeStage): string[] {
  if (image.user === null || ['root', '0'].includes(image.user.split(':')[0]!)) return [`the image runs as ${image.user ?? 'root (no USER)'}`];
  if (IMAGE_USER_IDS[image.user] === undefined && !/^[1-9]\d*$/.test(image.user)) return [`the image's user ${image.user} has no uid the manifests can name`];
  return [];
}

export interface RunningApp {
  port: number;
  ask(path: string): Promise<ProbeAnswer>;
}

/**
 * The HEALTHCHECK command, run here with `node` as the image runs it: it passes against a running
 * app (given the app's port in PORT), fails where nothing listens, and asks a path that answers 200
 * without checking dependencies (a database outage must not mark every container unhealthy).
 */
export async function healthcheckProblems(image: RuntimeStage, app: RunningApp, silentPort: number): Promise<string[]> {
  if (image.healthcheck === null) return ['the image has no HEALTHCHECK'];
  const problems: string[] = [];
  const path = /['"](\/[^'"]*)['"]/.exec(image.healthcheck.join(' '))?.[1];
  if (path === undefined) {
    problems.push(`HEALTHCHECK ${image.healthcheck.join(' ')} names no path`);
  } else {
    const { status, body } = await app.ask(path);
    if (status !== 200) problems.push(`HEALTHCHECK asks ${path}, which answers ${status}`);
    else if (typeof body === 'object' && body !== null && 'checks' in body) problems.push(`HEALTHCHECK asks ${path}, which checks dependencies`);
  }
  if ((await exitCode(image.healthcheck, app.port)) !== 0) problems.push(`HEALTHCHECK fails against the app listening on PORT=${app.port}`);
  if ((await exitCode(image.healthcheck, silentPort)) === 0) problems.push(`HEALTHCHECK passes with nothing listening on PORT=${silentPort}`);
  return problems;
}

function exitCode([command, ...args]: string[], port: number): Promise<number> {
  const executable = command === 'node' ? process.execPath : command!;
  return new Promise((resolve) => {
    execFile(executable, args, { env: { ...process.env, PORT: String(port) }, timeout: 10_000 }, (error) => {
      resolve(error === null ? 0 : typeof error.code === 'number' ? error.code : 1);
    });
  });
}
