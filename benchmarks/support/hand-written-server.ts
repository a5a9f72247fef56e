// The baseline: the same two requests written by hand with Fastify and postgres.js, the way a
// small service without the platform would serve them. It verifies the same bearer tokens,
// validates the same bodies, runs the same SELECT for a product and the same inserts for an order
// (into its own copies of the order tables, so the app's sagas never see its rows), and publishes
// no event. `npm run bench` starts it next to the app on the same database.
import fastifyJwt from '@fastify/jwt';
import Fastify from 'fastify';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
const server = Fastify({ bodyLimit: 256 * 1024 });
await server.register(fastifyJwt, { secret: process.env.JWT_SECRET! });

await sql.unsafe(`
  create schema if not exists hand_written;
  create table if not exists hand_written.orders (like orders.orders including all);
  create table if not exists hand_written.order_items (like orders.order_items including all,
    foreign key (order_id) references hand_written.orders (id) on delete cascade);`);

const text = { type: 'string' } as const;
const product = {
  type: 'object',
  properties: { id: text, sku: text, name: text, description: { type: ['string', 'null'] }, priceCents: { type: 'integer' }, currency: text, stock: { type: 'integer' }, reserved: { type: 'integer' }, createdAt: text, updatedAt: text },
} as const;

server.get<{ Params: { id: string } }>(
  '/products/:id',
  { schema: { params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } }, response: { 200: product } } },
  async (request, reply) => {
    const [row] = await sql`select * from products.products where id = ${request.params.id}`;
    if (!row) return reply.code(404).send({ title: 'Not found' });
    return {
      id: row.id, sku: row.sku, name: row.name, description: row.description, priceCents: row.price_cents, currency: row.currency,
      stock: row.stock, reserved: row.reserved, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
    };
  },
);

interface OrderBody {
  items: Array<{ productId: string; quantity: number }>;
  shippingAddress: { street: string; city: string; zipCode: string; country: string };
}
const line = { type: 'object', required: ['productId', 'quantity'], additionalProperties: false, properties: { productId: { type: 'string', format: 'uuid' }, quantity: { type: 'integer', minimum: 1, maximum: 100 } } };
const address = { type: 'object', required: ['street', 'city', 'zipCode', 'country'], additionalProperties: false, properties: { street: text, city: text, zipCode: text, country: text } };

server.post<{ Body: OrderBody }>(
  '/orders',
  { schema: { body: { type: 'object', required: ['items', 'shippingAddress'], additionalProperties: false, properties: { items: { type: 'array', minItems: 1, maxItems: 50, items: line }, shippingAddress: address } } } },
  async (request, reply) => {
    const { sub: customerId } = await request.jwtVerify<{ sub: string }>();
    const { items, shippingAddress } = request.body;
    const prices = await sql`select id, price_cents, currency from products.products where id in ${sql(items.map((item) => item.productId))}`;
    const priceOf = new Map(prices.map((row) => [row.id as string, row]));
    if (priceOf.size !== new Set(items.map((item) => item.productId)).size) return reply.code(422).send({ title: 'Unknown products' });
    const totalCents = items.reduce((sum, item) => sum + item.quantity * priceOf.get(item.productId)!.price_cents, 0);
    const order = await sql.begin(async (tx) => {
      const [row] = await tx`insert into hand_written.orders (customer_id, total_cents, currency, shipping_address)
        values (${customerId}, ${totalCents}, ${prices[0]!.currency}, ${tx.json(shippingAddress)}) returning *`;
      const lines = items.map((item, position) => ({ order_id: row!.id, product_id: item.productId, position, quantity: item.quantity, unit_price_cents: priceOf.get(item.productId)!.price_cents }));
      const stored = await tx`insert into hand_written.order_items ${tx(lines)} returning *`;
      return { row: row!, items: stored };
    });
    const { row, items: stored } = order;
    return reply.code(201).send({
      id: row.id, customerId: row.customer_id, status: row.status, totalCents: Number(row.total_cents), currency: row.currency, shippingAddress: row.shipping_address,
      items: stored.map((item) => ({ productId: item.product_id, quantity: item.quantity, unitPriceCents: Number(item.unit_price_cents) })),
      createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
    });
  },
);

server.get('/health/ready', async () => ({ status: 'ready' }));
await server.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.on('SIGTERM', () => void server.close().then(() => sql.end()).then(() => process.exit(0)));
