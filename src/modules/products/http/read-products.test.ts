// GET /api/v1/products and GET /api/v1/products/:id: the catalog, readable by anyone; search,
// pagination, and the answers to bad ids and bad query strings.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/support/test-app.js';
import { startModuleTest, type Scenario } from '../../../../test/support/module-test.js';
import { expectProblem, registerAndLogin } from '../../../../test/support/users.js';
import { createProduct, type CreatedProduct } from '../products.test-support.js';

describe('reading the catalog', () => {
  let scenario: Scenario;
  let app: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    scenario = await startModuleTest('products', { alongside: ['users'] });
    ({ app, admin } = scenario);
  });
  afterAll(() => scenario.close());

  const list = (search = '', headers: Record<string, string> = {}) => app.server.inject({ url: `/api/v1/products${search}`, headers });
  const ids = (response: { json(): { items: Array<{ id: string }> } }) => response.json().items.map((item) => item.id);

  describe('GET /api/v1/products/:id', () => {
    it('answers 200 with the product to anyone, without a token', async () => {
      const product = await createProduct(app, admin, { stock: 4 });
      const response = await app.server.inject({ url: `/api/v1/products/${product.id}` });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        id: product.id,
        sku: product.sku,
        name: product.name,
        description: 'A fine product',
        priceCents: product.priceCents,
        currency: 'USD',
        stock: 4,
        reserved: 0,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('answers 200 to a customer as well', async () => {
      const product = await createProduct(app, admin);
      const customer = await registerAndLogin(app.server);
      expect((await app.server.inject({ url: `/api/v1/products/${product.id}`, headers: customer.auth })).statusCode).toBe(200);
    });

    it('answers 404 for an unknown id', async () => {
      expectProblem(await app.server.inject({ url: `/api/v1/products/${randomUUID()}` }), 404);
    });

    it.each([['not-a-uuid'], ['123'], [`${randomUUID()}x`]])('answers 400 naming the id when it is %j, not a UUID', async (id) => {
      expectProblem(await app.server.inject({ url: `/api/v1/products/${id}` }), 400, ['params.id']);
    });
  });

  describe('GET /api/v1/products', () => {
    it('lists products to anyone, newest first, each with the full product shape', async () => {
      const older = await createProduct(app, admin);
      const newer = await createProduct(app, admin);
      const response = await list();
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(Object.keys(body).sort()).toEqual(['items', 'nextCursor']);
      const listed = ids(response);
      expect(listed.indexOf(newer.id)).toBeLessThan(listed.indexOf(older.id));
      expect(listed.indexOf(older.id)).toBeGreaterThanOrEqual(0);
      expect(body.items.find((item: { id: string }) => item.id === newer.id)).toEqual((await app.server.inject({ url: `/api/v1/products/${newer.id}` })).json());
      const times = body.items.map((item: { createdAt: string }) => Date.parse(item.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    describe('search with ?q=', () => {
      let tag: string;
      let mug: CreatedProduct;
      let plate: CreatedProduct;
      let bySku: CreatedProduct;
      beforeAll(async () => {
        tag = `t${Date.now().toString(36)}`;
        mug = await createProduct(app, admin, { name: `Blue ${tag} Mug` });
        plate = await createProduct(app, admin, { name: `Red ${tag} Plate` });
        bySku = await createProduct(app, admin, { name: 'Unrelated name', sku: `ZZ-${tag.toUpperCase()}-1` });
        await createProduct(app, admin, { name: 'Something else entirely' });
      });

      it('matches part of the name or the sku, in any letter case, newest first', async () => {
        const response = await list(`?q=${tag.toUpperCase()}`);
        expect(response.statusCode).toBe(200);
        expect(ids(response)).toEqual([bySku.id, plate.id, mug.id]);
      });

      it('matches the name only when the term is in the name', async () => {
        expect(ids(await list(`?q=${encodeURIComponent(`${tag} mug`)}`))).toEqual([mug.id]);
      });

      it('matches a sku fragment in lower case', async () => {
        expect(ids(await list(`?q=zz-${tag}`))).toEqual([bySku.id]);
      });

      it('answers an empty page when nothing matches', async () => {
        expect((await list(`?q=nothing-like-this-${tag}`)).json()).toEqual({ items: [], nextCursor: null });
      });

      it('treats % and _ as plain characters, not wildcards', async () => {
        const percent = await createProduct(app, admin, { name: 'Sale: 50% off' });
        expect(ids(await list(`?q=${encodeURIComponent('50%')}`))).toEqual([percent.id]);
        expect((await list(`?q=${encodeURIComponent(`${tag}_`)}`)).json().items).toEqual([]);
        expect((await list(`?q=${encodeURIComponent('%')}`)).json().items.map((item: { id: string }) => item.id)).toEqual([percent.id]);
      });

      it('trims the term, and treats a blank term as no filter', async () => {
        expect(ids(await list(`?q=${encodeURIComponent(`  ${tag} mug  `)}`))).toEqual([mug.id]);
        const all = await list('?q=%20%20&limit=100');
        expect(all.statusCode).toBe(200);
        expect(ids(all)).toEqual(expect.arrayContaining([mug.id, plate.id, bySku.id]));
      });

      it('pages through the matches with the same filter', async () => {
        const first = await list(`?q=${tag}&limit=2`);
        expect(ids(first)).toEqual([bySku.id, plate.id]);
        const second = await list(`?q=${tag}&limit=2&cursor=${encodeURIComponent(first.json().nextCursor)}`);
        expect(ids(second)).toEqual([mug.id]);
        expect(second.json().nextCursor).toBeNull();
      });

      it('rejects a term longer than 100 characters with 400 naming querystring.q', async () => {
        expectProblem(await list(`?q=${'x'.repeat(101)}`), 400, ['querystring.q']);
      });
    });

    describe('pagination', () => {
      it('walks every product exactly once through limit and cursor, newest first', async () => {
        const tag = `page${Date.now().toString(36)}`;
        const created: string[] = [];
        for (let i = 0; i < 5; i += 1) created.push((await createProduct(app, admin, { name: `${tag} ${i}` })).id);
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const response = await list(`?q=${tag}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          expect(response.statusCode).toBe(200);
          seen.push(...ids(response));
          cursor = response.json().nextCursor;
          pages += 1;
        } while (cursor !== null && pages < 10);
        expect(pages).toBe(3);
        expect(seen).toEqual([...created].reverse());
      });

      it('walks the whole catalog without repeating or skipping a product', async () => {
        const everything = ids(await list('?limit=100'));
        const walked: string[] = [];
        let cursor: string | null = null;
        do {
          const response = await list(`?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          walked.push(...ids(response));
          cursor = response.json().nextCursor;
        } while (cursor !== null && walked.length <= everything.length);
        expect(walked).toEqual(everything);
      });

      it('gives no next cursor when the last page is exactly full', async () => {
        const tag = `full${Date.now().toString(36)}`;
        await createProduct(app, admin, { name: `${tag} a` });
        await createProduct(app, admin, { name: `${tag} b` });
        expect((await list(`?q=${tag}&limit=2`)).json().nextCursor).toBeNull();
      });

      it('uses 20 as the default limit', async () => {
        while (ids(await list('?limit=100')).length < 21) await createProduct(app, admin);
        const body = (await list()).json();
        expect(body.items).toHaveLength(20);
        expect(body.nextCursor).toEqual(expect.any(String));
      });

      it('accepts limit=1 and limit=100', async () => {
        expect((await list('?limit=1')).json().items).toHaveLength(1);
        expect((await list('?limit=100')).statusCode).toBe(200);
      });

      it.each([['0'], ['101'], ['-1'], ['abc'], ['1.5'], ['']])('rejects limit=%j with 400 naming querystring.limit', async (limit) => {
        expectProblem(await list(`?limit=${limit}`), 400, ['querystring.limit']);
      });

      it.each([
        ['garbage', 'not-a-cursor'],
        ['empty', ''],
        ['base64 of something else', Buffer.from('{"a":1}').toString('base64url')],
      ])('rejects a cursor that is %s with 400 naming querystring.cursor', async (_what, cursor) => {
        expectProblem(await list(`?cursor=${encodeURIComponent(cursor)}`), 400, ['querystring.cursor']);
      });

      it('rejects an unknown query parameter with 400 naming it', async () => {
        expectProblem(await list('?sort=name'), 400, ['querystring.sort']);
      });
    });
  });
});
