// payments.payment-refunded: a refund that completes the payment refunds the order; a partial
// one leaves it paid.
import { on } from '../../../platform/modules/module-definition.js';
import { PaymentsEvents } from '../../payments/api.js';
import { applyTransition } from './apply-transition.js';

export const paymentRefunded = on(PaymentsEvents.paymentRefunded, 'payment-refunded', async ({ data }, context) => {
  await applyTransition(context, data.orderId, { type: 'payment-refunded', fullyRefunded: data.fullyRefunded });
});
