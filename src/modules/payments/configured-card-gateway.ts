// The card gateway CARD_GATEWAY names. Production must name one (config refuses to start
// otherwise); choosing the simulated one there is allowed, for staging, but said loudly, because
// it takes no money and accepts any valid card number.
import type { ModuleContext } from '../../platform/modules/module-definition.js';
import type { CardGateway } from './domain/card-gateway.js';
import type { PaymentsConfig } from './payments-config.js';
import { createSimulatedCardGateway } from './domain/simulated-card-gateway.js';

export function configuredCardGateway({ config, logger }: ModuleContext<PaymentsConfig>): CardGateway {
  switch (config.cardGateway) {
    case 'simulated':
      if (config.production) {
        logger.warn('CARD_GATEWAY=simulated in production: no card is really charged, and every Luhn-valid number pays');
      }
      return createSimulatedCardGateway();
  }
}
