// How the composition root hands contracts to modules: only one listed in `needs`, and only an
// implementation that has every method of the contract (a stand-in included).
import { describe, expect, it } from 'vitest';
import { ProductsContract } from '../src/modules/products/api.js';
import { ALL_MODULES } from '../src/module-registry.js';
import type { ModuleDefinition } from '../src/platform/modules/module-definition.js';
import { startTestApp } from './support/test-app.js';

const consumer = (needs: string[]): ModuleDefinition => ({
  name: 'consumer',
  schema: 'consumer',
  routePrefixes: [],
  publishes: [],
  needs,
  create: (context) => {
    context.contract(ProductsContract);
    return { routes: async () => {} };
  },
});

describe('contract wiring', () => {
  it('refuses a module that asks for a contract it did not list in needs', async () => {
    await expect(startTestApp({ definitions: [...ALL_MODULES, consumer([])], hostedModules: ['products', 'consumer'] })).rejects.toThrow(
      'module consumer uses the products contract without listing it in needs',
    );
  });

  it('refuses a stand-in that does not implement every method of the contract', async () => {
    await expect(
      startTestApp({ definitions: [...ALL_MODULES, consumer(['products'])], hostedModules: ['consumer'], contracts: { products: { getProduct: async () => null } } }),
    ).rejects.toThrow('what stands for the products module does not implement its contract');
  });

  it('hands a module that listed the contract the provider hosted here', async () => {
    const app = await startTestApp({ definitions: [...ALL_MODULES, consumer(['products'])], hostedModules: ['products', 'consumer'] });
    await app.close();
  });
});
