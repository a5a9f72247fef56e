// Ordinary consumer code of the generated client, kept compiling with the project (tsconfig.json
// includes clients/): a change to the document that would break code like this fails
// `npm run typecheck`, not a consumer. It names the document's types, lists without `limit`, and
// branches on a typed error instead of catching `unknown`.
import { ShopApi, type FieldError, type Order, type PlaceOrderRequest, type Problem, type Product } from './shop-api.js';

/** A client whose secured calls carry the token given here (or later to `setSecurityData`). */
export function connectShop(baseUrl: string, token?: string): ShopApi<string> {
  const api = new ShopApi<string>({
    baseUrl,
    securityWorker: (bearer) => (bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {}),
  });
  if (token) api.setSecurityData(token);
  return api;
}

/** The first page of the catalog, at the server's default page size. */
export async function firstProducts(api: ShopApi<string>): Promise<Product[]> {
  const page = await api.products.listProducts();
  if (!page.ok) throw new Error(`listing products failed (${page.status}): ${page.error.detail}`);
  return page.data.items;
}

export type Placement = { placed: Order } | { refused: Problem };

/**
 * Places an order. Too many unpaid orders (409) is an answer to show the customer, with the
 * server's own words; anything else unexpected is an error.
 */
export async function placeOrder(api: ShopApi<string>, order: PlaceOrderRequest): Promise<Placement> {
  const response = await api.orders.placeOrder(order);
  if (response.ok) return { placed: response.data };
  if (response.status === 409) return { refused: response.error };
  const fields = response.error.errors?.map((error: FieldError) => error.path).join(', ');
  throw new Error(`placing the order failed (${response.status}): ${response.error.detail}${fields ? ` [${fields}]` : ''}`);
}

/** What a customer is told about a placement. */
export function describePlacement(placement: Placement): string {
  if ('refused' in placement) return `Not placed: ${placement.refused.detail}`;
  const { id, totalCents, currency, status } = placement.placed;
  return `Order ${id}: ${(totalCents / 100).toFixed(2)} ${currency}, ${status}`;
}
