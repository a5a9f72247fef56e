// Wall-clock time from process start to "listening", with the embedded PostgreSQL: the first run
// (initdb, migrations) against later runs on the same data folder. Run: `npm run bench:startup`.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LATER_RUNS = Number(process.env.BENCH_RUNS ?? 3);

function startOnce(dataDir: string, port: number): Promise<{ wallMs: number; reportedMs: number }> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('did not start within 60 s'));
    }, 60_000);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      const match = /"startupMs":(\d+)/.exec(output);
      if (!match) return;
      const wallMs = performance.now() - startedAt;
      clearTimeout(timer);
      child.once('exit', () => resolve({ wallMs, reportedMs: Number(match[1]) }));
      child.kill('SIGINT');
    });
  });
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shop-startup-'));
await chmod(dataDir, 0o755);
try {
  const runs = [await startOnce(dataDir, 3911)];
  for (let i = 0; i < LATER_RUNS; i++) runs.push(await startOnce(dataDir, 3911));
  const first = runs[0]!;
  console.log('start-up to listening, embedded PostgreSQL (ms)');
  console.log('run'.padEnd(14), 'wall'.padStart(8), 'in-process'.padStart(11), 'vs first run'.padStart(14));
  runs.forEach((run, index) => {
    console.log(
      (index === 0 ? 'first (initdb)' : `later #${index}`).padEnd(14),
      run.wallMs.toFixed(0).padStart(8),
      String(run.reportedMs).padStart(11),
      `${(run.wallMs / first.wallMs).toFixed(2)}x`.padStart(14),
    );
  });
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
