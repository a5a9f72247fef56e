// The payments module's use cases. HTTP-free: routes translate requests into these calls.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Tx } from '../../platform/db/database.js';
import type { HandlerContext, Publish } from '../../platform/events/event-bus.js';
import type { AuthenticatedUser } from '../../platform/http/auth.js';
import type { SortKey } from '../../platform/http/pagination.js';
import { HttpProblem, problem } from '../../platform/http/problem.js';
import type { ModuleContext } from '../../platform/modules/module-definition.js';
import { claimIdempotencyKey, findIdempotencyKey, storeIdempotentResponse, type StoredResponse } from './db/idempotency-keys.repository.js';
import { findPayableOrder, lockPayableOrder, savePayableOrderFacts } from './db/payable-orders.repository.js';
import { findPayment, insertPayment, listPaymentsOfOrder, lockPayment, lockRefundablePaymentsOfOrder, recordRefund } from './db/payments.repository.js';
import type { PaymentRow, RefundRow } from './db/schema.js';
import { cardErrors, lastFour, type Card } from './domain/card.js';
import type { CardGateway } from './domain/card-gateway.js';
import { withFact, type PayableOrderStatus } from './domain/payable-order.js';
import { refundableCents, statusAfterRefunds, toPaymentView } from './domain/payment.js';
import { refundReference } from './domain/refund-reference.js';
import { requestFingerprint } from './domain/request-fingerprint.js';
import { PaymentsEvents } from './api.js';

export type PaymentsService = ReturnType<typeof createPaymentsService>;
export type RefundCancelledOrder = PaymentsService['refundCancelledOrder'];

export interface PayRequest {
  orderId: string;
  card: Card;
}

export interface PayOutcome extends StoredResponse {
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

const NOT_PAYABLE: Record<Exclude<PayableOrderStatus, 'awaiting_payment' | 'pending'>, string> = {
  paid: 'The order is already paid',
  rejected: 'The order was rejected and cannot be paid',
  cancelled: 'The order was cancelled and cannot be paid',
};

/**
 * How long a payment waits for this module to catch up with an order it does not know as payable
 * yet. Orders shows awaiting_payment as soon as it handled products.stock-reserved; the same facts
 * reach this module on its own queues, usually within milliseconds, but under load later.
 */
export const CATCH_UP_WAIT_MS = 2_500;
const CATCH_UP_POLL_MS = 50;

/** The order's facts have not all reached this module yet: nothing was charged, and a retry soon will work. */
// A 409 with retry-after, not a 503: nothing is down, the payments module just cannot decide yet
// (the order's events are on their way, or there is no such order), and a 5xx would blame the server.
const notCaughtUp = () =>
  new HttpProblem(409, 'The order is still being prepared for payment; nothing was charged, please retry shortly', { headers: { 'retry-after': '1' } });

export function createPaymentsService(context: ModuleContext, gateway: CardGateway, now: () => Date = () => new Date()) {
  const { db, transaction, logger } = context;

  /**
   * Charges the order's total to the card, once per (customer, Idempotency-Key). Everything
   * happens in one transaction that starts by claiming the key, so a concurrent request with the
   * same key waits for this one and then answers with the response stored here.
   */
  async function pay(caller: AuthenticatedUser, idempotencyKey: string, input: PayRequest): Promise<PayOutcome> {
    const errors = cardErrors(input.card, now());
    if (errors.length > 0) throw problem.badRequest('The card is invalid', errors);
    const request = { orderId: input.orderId.toLowerCase(), card: input.card };
    const customerId = caller.sub;
    // Hashed before the transaction: it is slow on purpose and must not hold a connection.
    const requestHash = await requestFingerprint(request, { customerId, key: idempotencyKey });
    await untilCaughtUp(request.orderId);

    return transaction(async (tx, publish) => {
      if (!(await claimIdempotencyKey(tx, { customerId, key: idempotencyKey, requestHash }))) {
        return replay(tx, customerId, idempotencyKey, requestHash);
      }
      const payment = await charge(tx, publish, caller, idempotencyKey, request);
      const response = { status: 201, body: toPaymentView(payment) };
      await storeIdempotentResponse(tx, customerId, idempotencyKey, response);
      return { ...response, replayed: false };
    });
  }

  /** Waits (bounded) while this module knows the order only in part; the paying transaction decides. */
  async function untilCaughtUp(orderId: string): Promise<void> {
    const deadline = Date.now() + CATCH_UP_WAIT_MS;
    for (;;) {
      const order = await findPayableOrder(db, orderId);
      if (order && order.status !== 'pending') return;
      if (Date.now() >= deadline) return;
      await sleep(CATCH_UP_POLL_MS);
    }
  }

  async function replay(tx: Tx, customerId: string, key: string, requestHash: string): Promise<PayOutcome> {
    const stored = await findIdempotencyKey(tx, customerId, key);
    if (stored && stored.requestHash !== requestHash) {
      throw problem.unprocessable('This Idempotency-Key was already used with a different request', [
        { path: 'headers.idempotency-key', message: 'was already used with a different request' },
      ]);
    }
    // A committed key always holds its response; anything else is a request still in flight.
    if (!stored || stored.responseStatus === null) throw problem.conflict('A request with this Idempotency-Key is in progress; retry later');
    return { status: stored.responseStatus, body: stored.responseBody, replayed: true };
  }

  async function charge(tx: Tx, publish: Publish, caller: AuthenticatedUser, idempotencyKey: string, request: PayRequest): Promise<PaymentRow> {
    // Locked so that two payments of one order (with different keys) cannot both go through.
    const order = await lockPayableOrder(tx, request.orderId);
    // Without orders.order-placed this module cannot tell an order on its way from none at all.
    if (!order || order.customerId === null) throw notCaughtUp();
    if (order.customerId !== caller.sub && caller.role !== 'admin') throw problem.notFound('No such order');
    if (order.customerId !== caller.sub) throw problem.forbidden('Only the order’s customer may pay for it');
    if (order.status === 'pending') throw notCaughtUp();
    if (order.status !== 'awaiting_payment') throw problem.conflict(NOT_PAYABLE[order.status]);
    // Known once the order awaits payment (order-placed brought all three together).
    const totalCents = order.totalCents!;
    const currency = order.currency!;

    const id = randomUUID();
    const result = await viaGateway(
      () =>
        gateway.charge({
          reference: id,
          idempotencyKey: `${caller.sub}:${idempotencyKey}`,
          amountCents: totalCents,
          currency,
          card: request.card,
        }),
      { paymentId: id },
    );
    const payment = await insertPayment(tx, {
      id,
      orderId: order.orderId,
      customerId: order.customerId,
      amountCents: totalCents,
      currency,
      status: result.outcome === 'succeeded' ? 'succeeded' : 'failed',
      failureReason: result.outcome === 'declined' ? result.reason : null,
      cardLast4: lastFour(request.card.number),
    });
    if (result.outcome === 'succeeded') {
      await savePayableOrderFacts(tx, order.orderId, withFact(order, { type: 'paid' }));
      await publish(PaymentsEvents.paymentSucceeded, {
        paymentId: payment.id,
        orderId: payment.orderId,
        amount: { cents: payment.amountCents, currency: payment.currency },
      });
    } else {
      // A decline leaves the order awaiting payment: the customer may try another card.
      await publish(PaymentsEvents.paymentFailed, { paymentId: payment.id, orderId: payment.orderId, reason: result.reason });
    }
    logger.info({ paymentId: payment.id, orderId: payment.orderId, status: payment.status, failureReason: payment.failureReason }, 'card charge recorded');
    return payment;
  }

  /** A gateway call; when the gateway cannot answer, the transaction rolls back and the client may retry. */
  async function viaGateway<T>(call: () => Promise<T>, ids: Record<string, string>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // Only ids are logged: the request to the gateway holds the card.
      logger.error({ err: error, ...ids }, 'card gateway failed');
      throw new HttpProblem(502, 'The card gateway could not be reached; nothing was recorded, please retry');
    }
  }

  /** The payment the caller may see: their own, or any for an admin; others look absent. */
  async function getVisible(caller: AuthenticatedUser, id: string): Promise<PaymentRow> {
    const payment = await findPayment(db, id);
    if (!payment || (caller.role !== 'admin' && payment.customerId !== caller.sub)) throw problem.notFound('No such payment');
    return payment;
  }

  async function paymentsOfOrder(caller: AuthenticatedUser, orderId: string, limit: number, after: SortKey | null): Promise<PaymentRow[]> {
    const order = await findPayableOrder(db, orderId);
    if (!order || (caller.role !== 'admin' && order.customerId !== caller.sub)) throw problem.notFound('No such order');
    return listPaymentsOfOrder(db, orderId, limit, after);
  }

  /** Returns part or (by default) all of what is left of a payment; never more than was taken. */
  async function refund(paymentId: string, requestedCents: number | undefined): Promise<RefundRow> {
    return transaction(async (tx, publish) => {
      // Locked so that concurrent refunds add up against the latest total.
      const payment = await lockPayment(tx, paymentId);
      if (!payment) throw problem.notFound('No such payment');
      if (payment.status === 'failed') throw problem.conflict('A failed payment took no money and cannot be refunded');
      const left = refundableCents(payment);
      if (left === 0) throw problem.unprocessable('The payment is already fully refunded');
      const amountCents = requestedCents ?? left;
      if (amountCents > left) {
        throw problem.unprocessable(`Refunds may not exceed the payment: ${left} cents are left to refund`, [
          { path: 'amountCents', message: `must be at most ${left}` },
        ]);
      }
      return returnMoney(tx, publish, payment, amountCents, randomUUID());
    });
  }

  /**
   * orders.order-cancelled, from its handler's transaction: returns everything left of the order's
   * payments. The refund ids derive from the event, so a retry after a gateway failure (or after a
   * refund the gateway made but our commit lost) asks the gateway for the same refunds again, and
   * it deduplicates them.
   */
  async function refundCancelledOrder({ tx, publish }: HandlerContext, orderId: string, eventId: string): Promise<void> {
    for (const payment of await lockRefundablePaymentsOfOrder(tx, orderId)) {
      await returnMoney(tx, publish, payment, refundableCents(payment), refundReference(eventId, payment.id));
      logger.warn({ orderId, paymentId: payment.id }, 'order was cancelled after it was paid; payment refunded');
    }
  }

  /** Refunds through the gateway and records it; the payment must be locked by the caller. */
  async function returnMoney(tx: Tx, publish: Publish, payment: PaymentRow, amountCents: number, refundId: string): Promise<RefundRow> {
    await viaGateway(() => gateway.refund({ paymentReference: payment.id, reference: refundId, amountCents, currency: payment.currency }), {
      paymentId: payment.id,
      refundId,
    });
    const refundedCents = payment.refundedCents + amountCents;
    const status = statusAfterRefunds(payment, refundedCents);
    const refund = await recordRefund(tx, { id: refundId, paymentId: payment.id, amountCents }, { refundedCents, status });
    await publish(PaymentsEvents.paymentRefunded, {
      paymentId: payment.id,
      orderId: payment.orderId,
      refundId: refund.id,
      amountCents,
      fullyRefunded: status === 'refunded',
    });
    logger.info({ paymentId: payment.id, refundId: refund.id, amountCents, status }, 'refund recorded');
    return refund;
  }

  return { pay, getVisible, paymentsOfOrder, refund, refundCancelledOrder };
}
