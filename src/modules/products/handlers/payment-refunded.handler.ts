// payments.payment-refunded → a fully refunded order's units come back: restocked when they were
// sold, released when they were still only held. Partial refunds leave stock alone (the goods
// are kept).
import type { ModuleSubscription } from '../../../platform/modules/module-definition.js';
import { findReservationStatus } from '../db/inventory.repository.js';
import { CONSUMED_EVENTS, PaymentRefundedData, readEventData } from './consumed-events.js';
import { releaseReservation, restockReservation } from './stock-movements.js';

export const restockOnPaymentRefunded: ModuleSubscription = {
  name: 'restock-on-refund',
  pattern: CONSUMED_EVENTS.paymentRefunded,
  async handler(event, { tx, logger }) {
    const data = readEventData(PaymentRefundedData, event, logger);
    if (!data) return;
    const orderId = data.orderId.toLowerCase();
    if (!data.fullyRefunded) {
      logger.info({ orderId }, 'partial refund; stock unchanged');
      return;
    }

    const restocked = await restockReservation(tx, orderId);
    if (restocked) {
      logger.info({ orderId, lines: restocked.length }, 'stock restocked for refunded order');
      return;
    }
    const released = await releaseReservation(tx, orderId);
    if (released) {
      logger.info({ orderId, lines: released.length }, 'stock released for refunded order that was still reserved');
      return;
    }
    logger.info({ orderId, status: await findReservationStatus(tx, orderId) }, 'refunded order holds no stock to return; nothing to do');
  },
};
