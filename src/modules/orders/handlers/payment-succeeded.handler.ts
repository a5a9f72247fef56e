// payments.payment-succeeded (v2, the amount as one money value): the order is paid.
// orders.order-paid is published in the handler's own transaction, so it exists exactly when the
// status change does.
import { on } from '../../../platform/modules/module-definition.js';
import { PaymentsEvents } from '../../payments/api.js';
import { OrdersEvents } from '../api.js';
import { applyTransition } from './apply-transition.js';

export const paymentSucceeded = on(PaymentsEvents.paymentSucceeded, 'payment-succeeded', async ({ data }, context) => {
  const { orderId, paymentId, amount } = data;
  const before = await applyTransition(context, orderId, { type: 'payment-succeeded' });
  if (!before) return;
  // Payments charges the total it learned from order-placed; a mismatch is a bug to surface,
  // but the money was taken, so the order is still marked paid.
  if (amount.cents !== before.totalCents || amount.currency !== before.currency) {
    context.logger.error({ orderId: before.id, paymentId, amount, totalCents: before.totalCents, orderCurrency: before.currency }, 'payment amount differs from the order total');
  }
  await context.publish(OrdersEvents.orderPaid, { orderId: before.id, paymentId });
});
