// The load generator: autocannon in a process of its own (so its CPU is not the server's event
// loop), 50 connections by default, reporting throughput, latency and any answer that was not 2xx.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from './processes.js';

const run = promisify(execFile);

export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

export interface LoadRequest {
  url: string;
  method?: 'GET' | 'POST';
  token?: string;
  body?: unknown;
  seconds?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers with a 2xx status. */
  ok: number;
  /** Answers with any other status, and connection errors or timeouts: a run with any is suspect. */
  failed: number;
  seconds: number;
}

export async function load({ url, method = 'GET', token, body, seconds = DURATION_SECONDS }: LoadRequest): Promise<LoadResult> {
  const args = ['node_modules/autocannon/autocannon.js', '-j', '-n', '-c', String(CONNECTIONS), '-d', String(seconds), '-m', method];
  if (token) args.push('-H', `authorization=Bearer ${token}`);
  if (body !== undefined) args.push('-H', 'content-type=application/json', '-b', JSON.stringify(body));
  args.push(url);
  const { stdout } = await run(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(stdout);
  const ok = report['2xx'] as number;
  return {
    requestsPerSecond: ok / report.duration,
    p50Ms: report.latency.p50,
    p99Ms: report.latency.p99,
    ok,
    failed: report.non2xx + report.errors + report.timeouts,
    seconds: report.duration,
  };
}
