// The payments module as the platform hosts it.
import type { ModuleContext, ModuleDefinition } from '../../platform/modules/module-definition.js';
import type { CardGateway } from './domain/card-gateway.js';
import { configuredCardGateway } from './configured-card-gateway.js';
import { PAYMENTS_PUBLISHES } from './api.js';
import { orderCancelledSubscription } from './handlers/order-cancelled.handler.js';
import { orderPaidSubscription } from './handlers/order-paid.handler.js';
import { orderPlacedSubscription } from './handlers/order-placed.handler.js';
import { stockRejectedSubscription } from './handlers/stock-rejected.handler.js';
import { stockReservedSubscription } from './handlers/stock-reserved.handler.js';
import { paymentsRoutes } from './http/payments.routes.js';
import { readPaymentsConfig, type PaymentsConfig } from './payments-config.js';
import { createPaymentsService, type PaymentsService } from './payments.service.js';

export interface PaymentsModuleOptions {
  /** Who moves the money. The one CARD_GATEWAY names by default; a real provider plugs in here. */
  gateway?: (context: ModuleContext<PaymentsConfig>) => CardGateway;
}

export function createPaymentsModule(options: PaymentsModuleOptions = {}): ModuleDefinition<never, PaymentsConfig> {
  const gatewayFor = options.gateway ?? configuredCardGateway;
  // Set by create(): subscriptions are declared with the definition, but their handlers run only
  // in the process that hosts (and so has created) the module.
  let service: PaymentsService | undefined;
  const hostedService = () => {
    if (!service) throw new Error('the payments module is not hosted by this process');
    return service;
  };
  return {
    name: 'payments',
    schema: 'payments',
    routePrefixes: ['/api/v1/payments'],
    publishes: PAYMENTS_PUBLISHES,
    // Order totals and payability arrive as events (handlers/), so no contract is needed.
    needs: [],
    config: readPaymentsConfig,
    subscriptions: [
      orderPlacedSubscription,
      stockReservedSubscription,
      stockRejectedSubscription,
      orderCancelledSubscription(() => hostedService().refundCancelledOrder),
      orderPaidSubscription,
    ],
    create(context) {
      service = createPaymentsService(context, gatewayFor(context));
      return {
        routes: paymentsRoutes(service),
      };
    },
  };
}

export const paymentsModule = createPaymentsModule();
