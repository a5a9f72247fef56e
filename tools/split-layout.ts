// The split topology used by `npm run start:split` and by the parity tests: which process hosts
// which modules, and where it finds the others. Ports are consecutive from the gateway's.
// Clients reach only the gateway, so requests are counted against the per-client limit there;
// the processes behind it would count each forwarded request a second time.
export interface SplitProcess {
  name: 'gateway' | 'orders' | 'payments';
  port: number;
  env: Record<string, string>;
}

export function splitLayout(gatewayPort: number, ports = { orders: gatewayPort + 1, payments: gatewayPort + 2 }): SplitProcess[] {
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return [
    { name: 'gateway', port: gatewayPort, env: { MODULES: 'users,products', REMOTE_MODULES: `orders=${url(ports.orders)},payments=${url(ports.payments)}` } },
    { name: 'orders', port: ports.orders, env: { MODULES: 'orders', REMOTE_MODULES: `users=${url(gatewayPort)},products=${url(gatewayPort)}`, TRUST_PROXY: '127.0.0.1', RATE_LIMIT_MAX: '0' } },
    { name: 'payments', port: ports.payments, env: { MODULES: 'payments', TRUST_PROXY: '127.0.0.1', RATE_LIMIT_MAX: '0' } },
  ];
}
