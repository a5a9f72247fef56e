// The rules of reserving stock for an order that need no database.

/**
 * What the module has done with an order's stock. Only `reserved` holds units; `committed` has
 * taken them out of stock; `cancelled_before_reservation` remembers a cancel that arrived before
 * the order itself, so the late order-placed reserves nothing.
 */
export const RESERVATION_STATUSES = ['reserved', 'rejected', 'committed', 'released', 'restocked', 'cancelled_before_reservation'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export type RejectionReason = 'insufficient_stock' | 'unknown_product';

export interface StockLine {
  productId: string;
  quantity: number;
}

/**
 * The order's lines with one line per product (quantities summed), in productId order: every
 * transaction locks product rows in that one order, so two of them never wait on each other.
 */
export function mergeLines(items: readonly StockLine[]): StockLine[] {
  const quantities = new Map<string, number>();
  for (const { productId, quantity } of items) quantities.set(productId, (quantities.get(productId) ?? 0) + quantity);
  return [...quantities]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

/** Why an order could not be reserved: an unknown product outweighs a short one. */
export function rejectionReason(lines: ReadonlyArray<{ known: boolean }>): RejectionReason {
  return lines.some((line) => !line.known) ? 'unknown_product' : 'insufficient_stock';
}
