// The problems placing and cancelling an order can answer, as both API versions document them
// (the same use cases behind both).
import type { RouteDocs } from '../../../platform/http/openapi-route-docs.js';

export const PLACE_ORDER_PROBLEMS: RouteDocs['x-problems'] = {
  400: 'Invalid fields, or more than the allowed units of one product across lines',
  403: 'Only customers place orders',
  409: 'The customer has as many unpaid orders as allowed; pay or cancel one first',
  422: 'Some products do not exist, or they are priced in more than one currency',
  503: { description: 'The product catalog (or the database) cannot be reached; retry shortly', retryAfter: true },
};

export const CANCEL_ORDER_PROBLEMS: RouteDocs['x-problems'] = {
  409: 'The order is past the point where it can be cancelled',
};
