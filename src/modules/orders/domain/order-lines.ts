// Order lines and money: merging repeated products and totalling in integer cents. Pure rules, no
// I/O; prices come from the products module, never from the client.
export const MAX_LINE_QUANTITY = 100;

export interface RequestedLine {
  productId: string;
  quantity: number;
}

export interface MergedLine extends RequestedLine {
  /** Indexes of the request lines merged into this one, to name them in errors. */
  sources: number[];
}

export interface PricedLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

/** One line per product, in order of first appearance, quantities summed. */
export function mergeLines(lines: readonly RequestedLine[]): MergedLine[] {
  const merged = new Map<string, MergedLine>();
  lines.forEach((line, index) => {
    const existing = merged.get(line.productId);
    if (existing) {
      existing.quantity += line.quantity;
      existing.sources.push(index);
    } else {
      merged.set(line.productId, { productId: line.productId, quantity: line.quantity, sources: [index] });
    }
  });
  return [...merged.values()];
}

/** Σ quantity × unit price, in cents; throws rather than lose precision beyond 2^53. */
export function totalCents(lines: readonly PricedLine[]): number {
  let total = 0;
  for (const line of lines) {
    if (!Number.isSafeInteger(line.unitPriceCents) || !Number.isSafeInteger(line.quantity)) {
      throw new RangeError(`line of ${line.productId} is not priced in whole cents`);
    }
    total += line.quantity * line.unitPriceCents;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError('order total exceeds what whole cents can hold exactly');
  return total;
}

export interface CatalogPrice {
  id: string;
  priceCents: number;
  currency: string;
}

export type Pricing =
  | { outcome: 'priced'; lines: PricedLine[]; currency: string; totalCents: number }
  | { outcome: 'unknown-products'; lines: MergedLine[] }
  | { outcome: 'mixed-currencies'; lines: Array<MergedLine & { currency: string }> };

/**
 * Prices merged lines from the catalog's answer. Every product must be known and all must share
 * one currency: an order has a single total, and currencies are never converted here.
 */
export function priceLines(lines: readonly MergedLine[], catalog: readonly CatalogPrice[]): Pricing {
  if (lines.length === 0) throw new RangeError('an order needs at least one line');
  // Currencies compared and stored upper case, as ISO 4217 writes them.
  const byId = new Map(catalog.map((product) => [product.id, { ...product, currency: product.currency.toUpperCase() }]));
  const unknown = lines.filter((line) => !byId.has(line.productId));
  if (unknown.length > 0) return { outcome: 'unknown-products', lines: unknown };
  const priced = lines.map((line) => ({ ...line, product: byId.get(line.productId)! }));
  const currency = priced[0]!.product.currency;
  const foreign = priced.filter((line) => line.product.currency !== currency);
  if (foreign.length > 0) {
    return { outcome: 'mixed-currencies', lines: priced.map(({ product, ...line }) => ({ ...line, currency: product.currency })) };
  }
  const pricedLines = priced.map(({ productId, quantity, product }) => ({ productId, quantity, unitPriceCents: product.priceCents }));
  return { outcome: 'priced', lines: pricedLines, currency, totalCents: totalCents(pricedLines) };
}
