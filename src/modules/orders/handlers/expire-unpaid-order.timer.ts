// The payment window of an order closes: an order still awaiting payment is cancelled by the
// system, as a customer's cancel would be (orders.order-cancelled releases its stock). An order
// paid or cancelled meanwhile is left alone: the status machine refuses the move.
import type { ModuleTimer } from '../../../platform/modules/module-definition.js';
import { lockOrder, updateStatus } from '../db/orders.repository.js';
import { transition } from '../domain/order-status.js';
import { OrdersEvents } from '../api.js';
import type { OrdersConfig } from '../orders-config.js';

export const EXPIRE_UNPAID_ORDER = 'expire-unpaid-order';

export interface ExpireUnpaidOrderData {
  orderId: string;
}

export const expireUnpaidOrder: ModuleTimer<OrdersConfig> = {
  name: EXPIRE_UNPAID_ORDER,
  afterSeconds: (config) => config.paymentTimeoutSeconds,
  handler: async (timer, { tx, publish, logger }) => {
    const { orderId } = timer.data as ExpireUnpaidOrderData;
    // Under the row lock, so a payment or a cancel being applied right now is seen, not raced.
    const order = await lockOrder(tx, orderId);
    if (!order) {
      logger.error({ orderId }, 'payment window closed for an order that does not exist; ignored');
      return;
    }
    const result = transition(order.status, { type: 'payment-timeout' });
    if (!result.allowed) {
      // The usual end of a window: the order was paid or cancelled in time.
      logger.debug({ orderId, status: order.status }, 'payment window closed on an order no longer awaiting payment');
      return;
    }
    await updateStatus(tx, order.id, result.to);
    await publish(OrdersEvents.orderCancelled, {
      orderId: order.id,
      customerId: order.customerId,
      previousStatus: 'awaiting_payment',
      reason: 'payment_timeout',
    });
    logger.info({ orderId }, 'unpaid order cancelled: its payment window closed');
  },
};
