// payments.payment-refunded → a fully refunded order's units come back into stock once they were
// sold. Refund and order-paid travel in separate queues, so the refund may come first: then it is
// remembered on the order's record and the commit puts the units straight back (order-paid
// handler), the same end as in the usual order. Partial refunds leave stock alone (the goods are
// kept).
import { on } from '../../../platform/modules/module-definition.js';
import { PaymentsEvents } from '../../payments/api.js';
import { lockReservation, markRefundPending } from '../db/inventory.repository.js';
import { restockReservation } from './stock-movements.js';

export const restockOnPaymentRefunded = on(PaymentsEvents.paymentRefunded, 'restock-on-refund', async ({ data }, { tx, logger }) => {
  const orderId = data.orderId.toLowerCase();
  if (!data.fullyRefunded) {
    logger.info({ orderId }, 'partial refund; stock unchanged');
    return;
  }

  // Locked first, so an order-paid handled at the same moment either commits before this reads
  // (and the units are restocked here) or after (and finds the refund remembered).
  const record = await lockReservation(tx, orderId);
  if (record?.status === 'committed') {
    const restocked = await restockReservation(tx, orderId);
    logger.info({ orderId, lines: restocked?.length }, 'stock restocked for refunded order');
    return;
  }
  if (record?.status === 'reserved') {
    await markRefundPending(tx, orderId);
    logger.info({ orderId }, 'refund arrived before the order was committed; applied when it is');
    return;
  }
  // A payment needs a reservation first (payments charges only orders awaiting payment), so no
  // record means nothing of this order is held; released or rejected orders hold nothing either.
  logger.info({ orderId, status: record?.status ?? null }, 'refunded order holds no stock to return; nothing to do');
});
