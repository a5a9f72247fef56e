// A TCP port on loopback that nothing listens on right now: the embedded PostgreSQL takes one, and
// tests, tools and benchmarks start servers and processes on them. Someone else may take the port
// before it is used; callers that cannot retry accept that small race.
import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    // The probe must never keep a process alive on its own.
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
