// The payments module's settings: the card gateway it charges through. Production must name one,
// so nobody ships the simulated gateway by accident.
import { ConfigError, type EnvReader } from '../../platform/config/env-reader.js';

export const CARD_GATEWAYS = ['simulated'] as const;
export type CardGatewayName = (typeof CARD_GATEWAYS)[number];

export interface PaymentsConfig {
  cardGateway: CardGatewayName;
  /** Whether this process runs in production, where the simulated gateway is said loudly. */
  production: boolean;
}

export function readPaymentsConfig(env: EnvReader): PaymentsConfig {
  if (env.production && env.text('CARD_GATEWAY') === null) {
    throw new ConfigError(`CARD_GATEWAY is required when NODE_ENV=production (one of ${CARD_GATEWAYS.join(', ')})`);
  }
  return { cardGateway: env.oneOf('CARD_GATEWAY', CARD_GATEWAYS, 'simulated'), production: env.production };
}
