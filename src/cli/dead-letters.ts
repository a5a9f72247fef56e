// Operators' command line for the event bus: `list [--subscription <queue>]` and
// `redrive [--subscription <queue>] [--id <dead letter id>]…` for dead letters, and
// `rewind --subscription <name> (--to-position <n> | --to-time <ISO time>)` to make a subscription
// read the event log again. It is only an HTTP client of the admin endpoints
// (/admin/v1/dead-letters, …/redrive, /admin/v1/subscriptions/<name>/rewind), so it obeys their auth, validation and
// limits by construction and never touches the database or pg-boss itself. Where: SHOP_URL
// (default http://127.0.0.1:3000); who: ADMIN_TOKEN, an admin's access token. The answer is JSON on
// stdout; anything else is one line on stderr (a problem+json answer as it came) and a non-zero exit.
import { parseArgs } from 'node:util';

const USAGE =
  'usage: dead-letters list [--subscription <queue>] | redrive [--subscription <queue>] [--id <id>]... | rewind --subscription <name> (--to-position <n> | --to-time <ISO time>)';
/** An admin endpoint that has not answered in this long is reported rather than waited for. */
const TIMEOUT_MS = 30_000;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: Record<string, unknown>;
}

/** The request a command line stands for; argument syntax only, the server checks the values. */
function callFor(args: string[]): Call {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { subscription: { type: 'string' }, id: { type: 'string', multiple: true }, 'to-position': { type: 'string' }, 'to-time': { type: 'string' } },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message} (${USAGE})`, EXIT_USAGE);
  }
  const [command, ...extra] = parsed.positionals;
  const { subscription, id: ids, 'to-position': toPosition, 'to-time': toTime } = parsed.values;
  if (extra.length > 0) throw new CliError(`unexpected argument "${extra[0]}" (${USAGE})`, EXIT_USAGE);
  if (command === 'rewind') {
    if (subscription === undefined || (toPosition === undefined) === (toTime === undefined) || ids) {
      throw new CliError(`rewind takes --subscription and one of --to-position, --to-time (${USAGE})`, EXIT_USAGE);
    }
    // A position that is not a number is sent as it is: the server answers it with a 400 naming the field.
    const body = toPosition !== undefined ? { position: /^\d+$/.test(toPosition) ? Number(toPosition) : toPosition } : { time: toTime };
    return { method: 'POST', path: `/admin/v1/subscriptions/${encodeURIComponent(subscription)}/rewind`, body };
  }
  if (toPosition !== undefined || toTime !== undefined) throw new CliError(`--to-position and --to-time are for rewind only (${USAGE})`, EXIT_USAGE);
  if (command === 'list') {
    if (ids) throw new CliError(`--id is for redrive only (${USAGE})`, EXIT_USAGE);
    const query = subscription === undefined ? '' : `?${new URLSearchParams({ subscription })}`;
    return { method: 'GET', path: `/admin/v1/dead-letters${query}` };
  }
  if (command === 'redrive') {
    return { method: 'POST', path: '/admin/v1/dead-letters/redrive', body: { ...(subscription === undefined ? {} : { subscription }), ...(ids ? { ids } : {}) } };
  }
  throw new CliError(`${command === undefined ? 'no command given' : `unknown command "${command}"`} (${USAGE})`, EXIT_USAGE);
}

async function send(call: Call, env: NodeJS.ProcessEnv): Promise<unknown> {
  const token = env.ADMIN_TOKEN;
  if (!token) throw new CliError("ADMIN_TOKEN is not set: an admin's access token (POST /api/v1/auth/login)", EXIT_FAILED);
  const url = new URL(call.path, env.SHOP_URL || 'http://127.0.0.1:3000');
  let response: Response;
  try {
    response = await fetch(url, {
      method: call.method,
      headers: { authorization: `Bearer ${token}`, ...(call.body ? { 'content-type': 'application/json' } : {}) },
      ...(call.body ? { body: JSON.stringify(call.body) } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    // fetch says only "fetch failed"; its cause says why (ECONNREFUSED, ENOTFOUND, …).
    const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new CliError(`cannot reach ${url.origin}: ${reason}`, EXIT_FAILED);
  }
  const text = await response.text();
  // A problem is printed as the server wrote it (status, detail, errors), on one line.
  if (!response.ok) throw new CliError(oneLine(text) || `${response.status} ${response.statusText}`, EXIT_FAILED);
  return JSON.parse(text);
}

function oneLine(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text.replace(/\s+/g, ' ').trim();
  }
}

try {
  const answer = await send(callFor(process.argv.slice(2)), process.env);
  process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
} catch (error) {
  process.stderr.write(`dead-letters: ${(error as Error).message.replace(/\s+/g, ' ')}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : EXIT_FAILED;
}
