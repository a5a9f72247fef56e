// CARD_GATEWAY picks who moves the money; the simulated one in production is allowed but loud.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SAFE_PRODUCTION_ENV } from '../../../test/support/production-env.js';
import { envReader } from '../../platform/config/env-reader.js';
import { createLogger } from '../../platform/logging/logger.js';
import type { ModuleContext } from '../../platform/modules/module-definition.js';
import { configuredCardGateway } from './configured-card-gateway.js';
import { readPaymentsConfig, type PaymentsConfig } from './payments-config.js';

function contextFor(env: Record<string, string>) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'info', pretty: false, destination });
  const config = readPaymentsConfig(envReader(env, env.NODE_ENV === 'production'));
  return { context: { config, logger } as unknown as ModuleContext<PaymentsConfig>, lines };
}

describe('configured card gateway', () => {
  it('warns when production charges with the simulated gateway', async () => {
    const { context, lines } = contextFor(SAFE_PRODUCTION_ENV);
    const gateway = configuredCardGateway(context);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringMatching(/^CARD_GATEWAY=simulated in production: no card is really charged/) }),
    ]);
    const card = { number: '4000000000000002', expMonth: 12, expYear: 2099, cvc: '123' };
    expect(await gateway.charge({ reference: 'r', idempotencyKey: 'k', amountCents: 100, currency: 'USD', card })).toEqual({
      outcome: 'declined',
      reason: 'card_declined',
    });
  });

  it('stays quiet in development', () => {
    const { context, lines } = contextFor({});
    configuredCardGateway(context);
    expect(lines).toEqual([]);
  });
});
