// payments: charging cards and refunds; owns the `payments` schema. Learns order totals and
// payability from orders and products events; needs no other module's contract. Its published
// language (events) is in api.ts, which is what other modules import; this file is the module's
// definition, for the composition root and the test harness.
export { paymentsModule } from './module.js';
