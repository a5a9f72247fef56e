// The split topology used by `npm run start:split` and by the parity tests: which process hosts
// which modules, and where it finds the others. Ports are consecutive from the gateway's. orders
// and payments run on their own; the gateway hosts every other module of the registry, so a module
// added with `npm run new:module` is served (and forwarded to) with no edit here.
// Clients reach only the gateway, so requests are counted against the per-client limit there;
// the processes behind it would count each forwarded request a second time.
import { ALL_MODULES } from '../src/module-registry.js';

export interface SplitProcess {
  name: 'gateway' | 'orders' | 'payments';
  port: number;
  env: Record<string, string>;
}

const EXTRACTED = ['orders', 'payments'];
const GATEWAY_MODULES = ALL_MODULES.map(({ name }) => name).filter((name) => !EXTRACTED.includes(name));

export function splitLayout(gatewayPort: number, ports = { orders: gatewayPort + 1, payments: gatewayPort + 2 }): SplitProcess[] {
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const onGateway = GATEWAY_MODULES.map((name) => `${name}=${url(gatewayPort)}`).join(',');
  return [
    { name: 'gateway', port: gatewayPort, env: { MODULES: GATEWAY_MODULES.join(','), REMOTE_MODULES: `orders=${url(ports.orders)},payments=${url(ports.payments)}` } },
    { name: 'orders', port: ports.orders, env: { MODULES: 'orders', REMOTE_MODULES: onGateway, TRUST_PROXY: '127.0.0.1', RATE_LIMIT_MAX: '0' } },
    { name: 'payments', port: ports.payments, env: { MODULES: 'payments', TRUST_PROXY: '127.0.0.1', RATE_LIMIT_MAX: '0' } },
  ];
}
