// The versions of the orders API and their lifecycle, owned by the module. Version 1 answers as it
// always did until its sunset, each response saying it is deprecated and pointing at version 2,
// whose operations have the same paths under /api/v2/orders.
import type { Deprecation } from '../../../platform/http/deprecation.js';

export const ORDERS_V1_PREFIX = '/api/v1/orders';
export const ORDERS_V2_PREFIX = '/api/v2/orders';

export const ORDERS_V1_DEPRECATION: Deprecation = {
  prefix: ORDERS_V1_PREFIX,
  successor: ORDERS_V2_PREFIX,
  samePaths: true,
  deprecatedAt: new Date('2026-12-01T00:00:00Z'),
  // Seven months for clients to move: after this, v1's routes may be removed (see README, API versions).
  sunsetAt: new Date('2027-06-30T00:00:00Z'),
};
