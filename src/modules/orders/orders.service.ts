// The orders module's use cases. HTTP-free: routes translate requests into these calls.
import type { AuthenticatedUser } from '../../platform/http/auth.js';
import type { SortKey } from '../../platform/http/pagination.js';
import { HttpProblem, problem } from '../../platform/http/problem.js';
import type { ModuleContext } from '../../platform/modules/module-definition.js';
import { ProductsContract } from '../products/api.js';
import { UsersContract } from '../users/api.js';
import { composeOrder } from './compose-order.js';
import { callContract } from './contract-call.js';
import { countOpenOrders, findOrder, insertOrder, listOrders, lockCustomerPlacements, lockOrder, updateStatus } from './db/orders.repository.js';
import type { Order, ShippingAddress } from './domain/order.js';
import { MAX_LINE_QUANTITY, mergeLines, priceLines, type RequestedLine } from './domain/order-lines.js';
import { transition, type OrderStatus } from './domain/order-status.js';
import { OrdersEvents, type OrderCancelled } from './api.js';
import type { OrdersConfig } from './orders-config.js';

export type OrdersService = ReturnType<typeof createOrdersService>;

export function createOrdersService(context: ModuleContext<OrdersConfig>) {
  const { db, transaction, logger } = context;
  const { maxOpenOrdersPerCustomer } = context.config;
  const products = context.contract(ProductsContract);
  const users = context.contract(UsersContract);

  async function place(caller: AuthenticatedUser, input: { items: RequestedLine[]; shippingAddress: ShippingAddress }): Promise<Order> {
    const lines = mergeLines(input.items);
    const overfull = lines.filter((line) => line.quantity > MAX_LINE_QUANTITY);
    if (overfull.length > 0) {
      throw problem.badRequest(
        `At most ${MAX_LINE_QUANTITY} of one product per order`,
        overfull.map((line) => ({ path: `items.${line.sources[0]}.quantity`, message: `adds up to ${line.quantity} across lines of this product; at most ${MAX_LINE_QUANTITY}` })),
      );
    }

    // Prices come from the catalog at order time; without it there is no honest price to charge.
    const catalog = await callContract('products', () => products.getProducts(lines.map((line) => line.productId)), logger);
    if (!catalog.ok) throw new HttpProblem(503, 'The product catalog cannot be reached; try again shortly', { headers: { 'retry-after': '5' } });

    const pricing = priceLines(lines, catalog.value);
    if (pricing.outcome === 'unknown-products') {
      throw problem.unprocessable(
        'Some products do not exist',
        pricing.lines.flatMap((line) => line.sources.map((index) => ({ path: `items.${index}.productId`, message: `no product ${line.productId}` }))),
      );
    }
    if (pricing.outcome === 'mixed-currencies') {
      throw problem.unprocessable(
        'All products of an order must be priced in one currency',
        pricing.lines.flatMap((line) => line.sources.map((index) => ({ path: `items.${index}.productId`, message: `is priced in ${line.currency}` }))),
      );
    }

    return transaction(async (tx, publish) => {
      if (maxOpenOrdersPerCustomer > 0) {
        // Serialised per customer: concurrent placements count one after another, never all
        // below the cap at once.
        await lockCustomerPlacements(tx, caller.sub);
        const open = await countOpenOrders(tx, caller.sub);
        if (open >= maxOpenOrdersPerCustomer) {
          throw problem.conflict(`You have ${open} unpaid orders; pay or cancel one first`);
        }
      }
      const order = await insertOrder(tx, {
        customerId: caller.sub,
        items: pricing.lines,
        totalCents: pricing.totalCents,
        currency: pricing.currency,
        shippingAddress: input.shippingAddress,
      });
      await publish(OrdersEvents.orderPlaced, {
        orderId: order.id,
        customerId: order.customerId,
        items: order.items,
        totalCents: order.totalCents,
        currency: order.currency,
      });
      return order;
    });
  }

  /** Customers see their own orders; admins see everybody's. */
  async function list(caller: AuthenticatedUser, status: OrderStatus | undefined, limit: number, after: SortKey | null): Promise<Order[]> {
    const filter = {
      ...(caller.role === 'admin' ? {} : { customerId: caller.sub }),
      ...(status !== undefined ? { status } : {}),
    };
    return listOrders(db, filter, limit, after);
  }

  /** The order the caller may see; another customer's order looks absent, so its existence does not leak. */
  async function getVisible(caller: AuthenticatedUser, id: string): Promise<Order> {
    const order = await findOrder(db, id);
    if (!order || !mayAccess(caller, order.customerId)) throw problem.notFound('No such order');
    return order;
  }

  async function getComposed(caller: AuthenticatedUser, id: string) {
    return composeOrder(await getVisible(caller, id), { db, products, users, logger });
  }

  async function cancel(caller: AuthenticatedUser, id: string): Promise<Order> {
    return transaction(async (tx, publish) => {
      // Locked, so a products or payments event for this order waits for (and then sees) the cancel.
      const order = await lockOrder(tx, id);
      if (!order || !mayAccess(caller, order.customerId)) throw problem.notFound('No such order');
      const result = transition(order.status, { type: 'cancel' });
      if (!result.allowed) throw problem.conflict(`An order that is ${order.status} can no longer be cancelled`);
      await updateStatus(tx, id, result.to);
      await publish(OrdersEvents.orderCancelled, {
        orderId: id,
        customerId: order.customerId,
        previousStatus: order.status as OrderCancelled['previousStatus'],
        reason: 'requested',
      });
      return (await findOrder(tx, id))!;
    });
  }

  return { place, list, getComposed, cancel };
}

function mayAccess(caller: AuthenticatedUser, customerId: string): boolean {
  return caller.role === 'admin' || caller.sub === customerId;
}
