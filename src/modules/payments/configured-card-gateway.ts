// The card gateway CARD_GATEWAY names. Production must name one (config refuses to start
// otherwise); choosing the simulated one there is allowed, for staging, but said loudly, because
// it takes no money and accepts any valid card number.
import type { ModuleContext } from '../../platform/modules/module-definition.js';
import type { CardGateway } from './domain/card-gateway.js';
import { createSimulatedCardGateway } from './domain/simulated-card-gateway.js';

export function configuredCardGateway({ config, logger }: ModuleContext): CardGateway {
  switch (config.payments.cardGateway) {
    case 'simulated':
      if (config.env === 'production') {
        logger.warn('CARD_GATEWAY=simulated in production: no card is really charged, and every Luhn-valid number pays');
      }
      return createSimulatedCardGateway();
  }
}
