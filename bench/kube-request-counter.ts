/**
 * Counts the Kubernetes API requests this process makes, by kind (`GET jobs/{name}`, `LIST pods`,
 * `PATCH agenticsessions/{name}/status`, `WATCH agenticsessions`…). client-node 1.x sends every
 * request through node-fetch, which calls `https.request` of the shared `node:https` module at
 * call time, so wrapping that function sees them all (keep-alive or not: one call per request).
 */
import https from 'node:https';

export interface KubeRequestCounter {
  /** Requests since the last `reset`. */
  total(): number;
  /** Counts by kind since the last `reset`, most frequent first. */
  byKind(): [string, number][];
  /** New TLS connections (sockets) opened since the last `reset`. */
  connections(): number;
  reset(): void;
  stop(): void;
}

type RequestArguments = Parameters<typeof https.request>;

/** `GET /apis/batch/v1/namespaces/x/jobs/y?…` → `GET jobs/{name}`; a collection GET is a LIST. */
export function requestKind(method: string, path: string): string {
  const [pathname = '', query = ''] = path.split('?');
  const parts = pathname.split('/').filter((part) => part !== '');
  const namespaceIndex = parts.indexOf('namespaces');
  // Cluster-scoped paths: /api/v1/<resource>[/name] and /apis/<group>/<version>/<resource>[/name].
  const resourceIndex =
    namespaceIndex >= 0 && parts.length > namespaceIndex + 2
      ? namespaceIndex + 2
      : parts[0] === 'api'
        ? 2
        : 3;
  const resource = parts[resourceIndex] ?? pathname;
  const named = parts.length > resourceIndex + 1;
  const subresource = parts[resourceIndex + 2];
  if (query.includes('watch=')) return `WATCH ${resource}`;
  const verb = method === 'GET' && !named ? 'LIST' : method;
  return `${verb} ${resource}${named ? '/{name}' : ''}${subresource ? `/${subresource}` : ''}`;
}

/** `https.request(options)` (node-fetch) or `https.request(url, options)` (runtime-kube's pool). */
function methodAndPath(args: RequestArguments): [string, string] {
  const [first, second] = args as unknown[];
  if (typeof first === 'string' || first instanceof URL) {
    const url = new URL(first);
    const method = typeof second === 'object' && second !== null ? (second as https.RequestOptions).method : undefined;
    return [method ?? 'GET', url.pathname + url.search];
  }
  const options = (first ?? {}) as https.RequestOptions;
  return [options.method ?? 'GET', options.path ?? '/'];
}

export function countKubeRequests(): KubeRequestCounter {
  const original = https.request;
  const counts = new Map<string, number>();
  const sockets = new WeakSet<object>();
  let total = 0;
  let connections = 0;
  https.request = ((...args: RequestArguments) => {
    const kind = requestKind(...methodAndPath(args));
    total += 1;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const request = (original as (...parameters: unknown[]) => ReturnType<typeof https.request>)(...args);
    // A reused keep-alive socket is handed over again; only the first sight of one is a connection.
    request.on('socket', (socket) => {
      if (sockets.has(socket)) return;
      sockets.add(socket);
      connections += 1;
    });
    return request;
  }) as typeof https.request;
  return {
    total: () => total,
    byKind: () => [...counts.entries()].sort((left, right) => right[1] - left[1]),
    connections: () => connections,
    reset() {
      total = 0;
      connections = 0;
      counts.clear();
    },
    stop() {
      https.request = original;
    },
  };
}
