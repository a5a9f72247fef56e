// The payments module's own copy of each order: just enough to know what to charge and whether the
// order can be paid right now. It is fed by orders and products events, never by calling orders.
export const PAYABLE_ORDER_STATUSES = ['pending', 'awaiting_payment', 'paid', 'rejected', 'cancelled'] as const;
export type PayableOrderStatus = (typeof PAYABLE_ORDER_STATUSES)[number];

/** For each status an event moves the copy to, the statuses it may move from. */
const ALLOWED_FROM: Record<Exclude<PayableOrderStatus, 'pending'>, readonly PayableOrderStatus[]> = {
  awaiting_payment: ['pending'],
  rejected: ['pending'],
  cancelled: ['pending', 'awaiting_payment'],
  paid: ['awaiting_payment'],
};

export type ReplicaMove = 'apply' | 'duplicate' | 'refused';

/** Whether an event that moves the copy to `to` applies, repeats what happened, or is out of turn. */
export function replicaMove(from: PayableOrderStatus, to: Exclude<PayableOrderStatus, 'pending'>): ReplicaMove {
  if (from === to) return 'duplicate';
  return ALLOWED_FROM[to].includes(from) ? 'apply' : 'refused';
}
