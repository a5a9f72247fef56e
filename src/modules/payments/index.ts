// payments: charging cards (simulated gateway) and refunds; owns the `payments` schema.
// Publishes payments.payment-succeeded, payment-failed, payment-refunded. Learns order totals and
// payability from orders and products events. Needs no other module's contract.
export { paymentsModule } from './module.js';
export { PAYMENTS_EVENTS } from './events.js';
export type { PaymentFailed, PaymentRefunded, PaymentSucceeded } from './events.js';
