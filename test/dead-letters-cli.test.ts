// The dead-letters CLI as operators run it: a real child process talking HTTP to the real app on a
// loopback port. Every child is killed after CLI_TIMEOUT_MS at the latest, and again in afterAll.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProductsEvents } from '../src/modules/products/api.js';
import { PROJECT_ROOT } from './support/child-process.js';
import { freePort } from './support/free-port.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { deadLettered, publishUnchecked } from './support/unchecked-events.js';
import { ADMIN_ENV, loginAdmin, registerAndLogin } from './support/users.js';

const CLI_TIMEOUT_MS = 30_000;
// A real queue (`<module>.<subscription>`): orders reads products.stock-reserved there.
const QUEUE = 'orders.stock-reserved';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();

function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const { ADMIN_TOKEN: _token, SHOP_URL: _url, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/dead-letters.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A failure is one line on stderr, nothing on stdout, and a non-zero exit code. */
function expectOneLineFailure(run: CliRun): string {
  expect(run.code, run.stderr).not.toBe(0);
  expect(run.code).not.toBeNull(); // null: killed by the timeout
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^dead-letters: [^\n]+\n$/);
  return run.stderr;
}

describe('dead-letters CLI', () => {
  let app: TestApp;
  let env: Record<string, string>;
  let eventId: string;
  beforeAll(async () => {
    app = await startTestApp({ env: ADMIN_ENV });
    await app.server.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.server.address() as { port: number };
    env = { SHOP_URL: `http://127.0.0.1:${port}`, ADMIN_TOKEN: (await loginAdmin(app.server)).token };
    // An event the subscriber cannot read goes straight to the dead-letter queue.
    eventId = await publishUnchecked(app, ProductsEvents.stockReserved, { orderId: 'not-a-uuid', lines: [] });
    await deadLettered(app, QUEUE, eventId);
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await app?.close();
  });

  it('lists the dead letters of one subscription, and of all, as JSON on stdout', async () => {
    const one = await runCli(['list', '--subscription', QUEUE], env);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    const { items } = JSON.parse(one.stdout) as { items: Array<{ subscription: string; event: { id: string }; attempts: number }> };
    expect(items.map((item) => item.subscription)).toEqual([QUEUE]);
    expect(items[0]).toMatchObject({ event: { id: eventId }, attempts: 1 });

    const all = await runCli(['list'], env);
    expect(all.code).toBe(0);
    const subscriptions = (JSON.parse(all.stdout) as { items: Array<{ subscription: string; event: { id: string } }> }).items
      .filter((item) => item.event.id === eventId)
      .map((item) => item.subscription);
    // payments reads the same event and could not read it either.
    expect(subscriptions.sort()).toEqual(['orders.stock-reserved', 'payments.stock-reserved']);
  });

  it('redrives one dead letter by id, and a whole subscription', async () => {
    const [letter] = (JSON.parse((await runCli(['list', '--subscription', QUEUE], env)).stdout) as { items: Array<{ id: string }> }).items;

    const byId = await runCli(['redrive', '--subscription', QUEUE, '--id', letter!.id], env);
    expect(byId.stderr).toBe('');
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.stdout)).toEqual({ redriven: 1 });

    // The event still does not fit, so it is parked again; redriving the queue moves it once more.
    await deadLettered(app, QUEUE, eventId);
    const whole = await runCli(['redrive', '--subscription', 'payments.stock-reserved'], env);
    expect(whole.code).toBe(0);
    expect(JSON.parse(whole.stdout)).toEqual({ redriven: 1 });
  });

  it('refuses bad arguments in one line, before sending anything', async () => {
    expect(expectOneLineFailure(await runCli(['list', '--frobnicate'], env))).toMatch(/--frobnicate/);
    expect(expectOneLineFailure(await runCli(['purge'], env))).toMatch(/unknown command "purge"/);
    expect(expectOneLineFailure(await runCli(['list', '--id', 'x'], env))).toMatch(/--id is for redrive only/);
    expect(expectOneLineFailure(await runCli(['list', '--subscription'], env))).toMatch(/--subscription/);
  });

  it("prints the endpoints' problem answers in one line: validation, unknown subscription", async () => {
    const invalid = expectOneLineFailure(await runCli(['redrive', '--id', 'not-a-uuid'], env));
    expect(JSON.parse(invalid.replace(/^dead-letters: /, ''))).toMatchObject({ status: 400, errors: [expect.objectContaining({ path: 'ids.0' })] });

    const unknown = expectOneLineFailure(await runCli(['list', '--subscription', 'nobody.nothing'], env));
    expect(JSON.parse(unknown.replace(/^dead-letters: /, ''))).toMatchObject({ status: 404, detail: expect.stringContaining('nobody.nothing') });
  });

  it('needs an admin token: missing, invalid and not an admin', async () => {
    expect(expectOneLineFailure(await runCli(['list'], { SHOP_URL: env.SHOP_URL! }))).toMatch(/ADMIN_TOKEN is not set/);
    expect(expectOneLineFailure(await runCli(['list'], { ...env, ADMIN_TOKEN: 'not-a-token' }))).toMatch(/"status":401/);
    const customer = await registerAndLogin(app.server);
    expect(expectOneLineFailure(await runCli(['redrive'], { ...env, ADMIN_TOKEN: customer.token }))).toMatch(/"status":403/);
  });

  it('says in one line when the app cannot be reached', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    expect(expectOneLineFailure(await runCli(['list'], { ...env, SHOP_URL: nobody }))).toBe(`dead-letters: cannot reach ${nobody}: ECONNREFUSED\n`);
  });
});
