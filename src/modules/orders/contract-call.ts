// Calls into other modules' contracts, which may be in-process or across the network. A call
// that throws or takes too long becomes an outcome the caller decides about (degrade or refuse),
// never an unhandled error or a request that hangs.
import type { Logger } from '../../platform/logging/logger.js';

/** A backstop only: remote contract clients apply their own, shorter timeouts and retries. */
export const CONTRACT_DEADLINE_MS = 5_000;

export type ContractOutcome<T> = { ok: true; value: T } | { ok: false };

export async function callContract<T>(
  module: string,
  call: () => Promise<T>,
  logger: Logger,
  deadlineMs = CONTRACT_DEADLINE_MS,
): Promise<ContractOutcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${deadlineMs} ms`)), deadlineMs);
  });
  try {
    return { ok: true, value: await Promise.race([call(), deadline]) };
  } catch (error) {
    logger.warn({ err: error, contract: module }, `the ${module} module did not answer`);
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}
