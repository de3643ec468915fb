import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Ports the kernel reports free on 127.0.0.1. All listeners are held open until every port is chosen,
 * so one call never returns the same port twice; another process may still grab one before the
 * component binds it, which is rare enough for tests (startup fails loudly then).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      return server;
    }),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
