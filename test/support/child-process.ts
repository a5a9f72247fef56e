// Runs a TypeScript entry point in a child process (the real process boundary), with helpers to
// wait for a line of its output. Every child is bounded: callers kill it, and so does `afterAll`.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Child {
  process: ChildProcess;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

export function runTypeScript(entry: string, args: string[], env: Record<string, string>): Child {
  return runNode(['--import', 'tsx', entry, ...args], env);
}

/** Plain `node <entry>`, as production runs a build. */
export function runJavaScript(entry: string, args: string[], env: Record<string, string>): Child {
  return runNode([entry, ...args], env);
}

function runNode(nodeArgs: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    waitForOutput: (pattern, timeoutMs = 30_000) =>
      waitFor(async () => pattern.exec(output), { timeoutMs, what: `output matching ${pattern} (got: ${output.slice(-500)})` }),
    exited,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
