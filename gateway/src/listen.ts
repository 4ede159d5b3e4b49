import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayRuntime } from '@graphql-hive/gateway-runtime';

export interface ListeningGateway {
  url: string;
  port: number;
  close(drainMs?: number): Promise<void>;
}

/**
 * The runtime's work for one request may listen on that request's abort signal once per subgraph
 * call, so a query that fans out to more than ten calls would trip Node's default of ten listeners
 * with a leak warning that is not a leak. The bound stays, higher. (Upstream timeouts add nothing to
 * any shared signal: plugins/useUpstreamTimeout.ts.)
 */
const MAX_SIGNAL_LISTENERS = 64;

/** Serves a gateway over node:http; port 0 picks a free port (tests). */
export async function listenGateway(gateway: GatewayRuntime<Record<string, unknown>>, port: number, host: string): Promise<ListeningGateway> {
  setMaxListeners(MAX_SIGNAL_LISTENERS);
  const server = createServer(gateway);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    url: `http://${shownHost}:${actual}/graphql`,
    port: actual,
    // Stop accepting, let requests in flight finish (up to drainMs), then dispose the gateway:
    // disposing first would answer those requests with SHUTTING_DOWN.
    close: async (drainMs = 5_000) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), drainMs);
      await closed;
      clearTimeout(cut);
      await gateway.dispose();
    },
  };
}
