// payments.payment-succeeded: the order is paid. orders.order-paid is published in the handler's
// own transaction, so it exists exactly when the status change does.
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { ORDERS_EVENTS, type OrderPaid } from '../events.js';
import { applyTransition } from './apply-transition.js';
import { PAYMENT_SUCCEEDED, type PaymentSucceededData } from './payments-events.js';

export const paymentSucceeded: ModuleSubscription = {
  name: 'payment-succeeded',
  pattern: PAYMENT_SUCCEEDED,
  handler: async (event, context) => {
    const { orderId, paymentId, amountCents, currency } = event.data as PaymentSucceededData;
    const before = await applyTransition(context, orderId, { type: 'payment-succeeded' });
    if (!before) return;
    // Payments charges the total it learned from order-placed; a mismatch is a bug to surface,
    // but the money was taken, so the order is still marked paid.
    if (amountCents !== before.totalCents || currency !== before.currency) {
      context.logger.error({ orderId: before.id, paymentId, amountCents, currency, totalCents: before.totalCents, orderCurrency: before.currency }, 'payment amount differs from the order total');
    }
    await context.publish(ORDERS_EVENTS.orderPaid, { orderId: before.id, paymentId } satisfies OrderPaid);
  },
};
