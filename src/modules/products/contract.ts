// What other modules may ask the products module. Shaped for a network: batched, plain data.
export interface ProductSummary {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
}

export interface ProductsApi {
  /** The current catalog entries of the given products; unknown ids are simply absent. */
  getProducts(ids: readonly string[]): Promise<ProductSummary[]>;
}
