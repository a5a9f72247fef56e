// Test support for the remote-contract tests: a small contract served over real HTTP by a Fastify
// server set up like the app's (its validation and error handling), and a fake implementation
// whose behaviour each test scripts (answer, fail, refuse with a 4xx, or hang until released).
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { registerDocs } from '../../http/docs.js';
import { installErrorHandling } from '../../http/error-handler.js';
import { problem } from '../../http/problem.js';
import { installValidation } from '../../http/validation.js';
import type { ContractMethods } from '../contract-methods.js';
import { registerContractRoutes } from '../contract-routes.js';

export const TEST_SECRET = 'test-service-token-secret-0123456789abcdef';
export const CATALOG = 'catalog';

export interface CatalogEntry {
  id: string;
  name: string;
}

export interface CatalogApi {
  lookup(ids: readonly string[]): Promise<CatalogEntry[]>;
  record(note: string): Promise<{ recorded: number }>;
}

export const catalogMethods: ContractMethods<CatalogApi> = {
  lookup: {
    idempotent: true,
    args: Type.Tuple([Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 10 })]),
    returns: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  },
  record: { idempotent: false, args: Type.Tuple([Type.String({ maxLength: 200 })]), returns: Type.Object({ recorded: Type.Integer() }) },
};

export type Behaviour = 'answer' | 'fail' | 'refuse' | 'hang';

export class FakeCatalog implements CatalogApi {
  readonly invocations = { lookup: 0, record: 0 };
  /** What every invocation does once the scripted ones are used up. */
  behaviour: Behaviour = 'answer';
  readonly #scripted: Behaviour[] = [];
  readonly #hanging: (() => void)[] = [];

  constructor(readonly label = CATALOG) {}

  /** The next invocations behave like this, in order. */
  script(...behaviours: Behaviour[]): void {
    this.#scripted.push(...behaviours);
  }

  /** Lets every hanging invocation answer. */
  release(): void {
    for (const resume of this.#hanging.splice(0)) resume();
  }

  async lookup(ids: readonly string[]): Promise<CatalogEntry[]> {
    this.invocations.lookup++;
    await this.#act();
    return ids.map((id) => ({ id, name: `${this.label}:${id}` }));
  }

  async record(_note: string): Promise<{ recorded: number }> {
    this.invocations.record++;
    await this.#act();
    return { recorded: this.invocations.record };
  }

  async #act(): Promise<void> {
    const behaviour = this.#scripted.shift() ?? this.behaviour;
    if (behaviour === 'fail') throw new Error('the fake catalog failed');
    if (behaviour === 'refuse') throw problem.notFound('No such catalog entry');
    if (behaviour === 'hang') await new Promise<void>((resume) => this.#hanging.push(resume));
  }
}

export interface RunningServer {
  server: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startCatalogServer(
  api: CatalogApi,
  { module = CATALOG, secret = TEST_SECRET, docs = false }: { module?: string; secret?: string; docs?: boolean } = {},
): Promise<RunningServer> {
  const server = Fastify({ logger: false });
  installValidation(server);
  installErrorHandling(server);
  if (docs) await registerDocs(server);
  await registerContractRoutes(server, { module, api, methods: catalogMethods, secret });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
