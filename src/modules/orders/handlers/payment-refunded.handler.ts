// payments.payment-refunded: a refund that completes the payment refunds the order; a partial
// one leaves it paid.
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { applyTransition } from './apply-transition.js';
import { PAYMENT_REFUNDED, type PaymentRefundedData } from './payments-events.js';

export const paymentRefunded: ModuleSubscription = {
  name: 'payment-refunded',
  pattern: PAYMENT_REFUNDED,
  handler: async (event, context) => {
    const { orderId, fullyRefunded } = event.data as PaymentRefundedData;
    await applyTransition(context, orderId, { type: 'payment-refunded', fullyRefunded });
  },
};
