// Tests take their free ports from here; the one implementation lives in the platform, because the
// embedded PostgreSQL needs it in production too.
export { freePort } from '../../src/platform/free-port.js';
