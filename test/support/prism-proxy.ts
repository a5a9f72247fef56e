// Prism's validation proxy (`prism proxy <document> <upstream> --errors`) in a child process: every
// request and answer passing through it is checked against the OpenAPI document. With --errors a
// violation does not pass silently: Prism answers with its own problem (type …/prism/errors#…)
// instead, and names the violations in the `sl-violations` header.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runJavaScript, PROJECT_ROOT, type Child } from './child-process.js';
import { freePort } from './free-port.js';

const PRISM = path.join(PROJECT_ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js');

export interface PrismProxy {
  url: string;
  output(): string;
  close(): Promise<void>;
}

/** `validateRequests: false` lets requests the document forbids through, to check the answers to them. */
export async function startPrismProxy(document: object, upstream: string, { validateRequests }: { validateRequests: boolean }): Promise<PrismProxy> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'prism-'));
  const file = path.join(directory, 'openapi.json');
  await writeFile(file, JSON.stringify(document));
  const port = await freePort();
  const child: Child = runJavaScript(
    PRISM,
    ['proxy', file, upstream, '--errors', `--validate-request=${validateRequests}`, '--port', String(port), '--host', '127.0.0.1', '--verboseLevel', 'warn', '--cors=false'],
    {},
  );
  const close = async () => {
    child.kill();
    await child.exited;
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await waitUntilListening(`http://127.0.0.1:${port}`, child);
  } catch (error) {
    await close();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, output: child.output, close };
}

async function waitUntilListening(url: string, child: Child): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await fetch(`${url}/health/live`);
      return;
    } catch {
      if (child.process.exitCode !== null) throw new Error(`prism exited ${child.process.exitCode}: ${child.output()}`);
      if (Date.now() > deadline) throw new Error(`prism did not listen within 60 s: ${child.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
