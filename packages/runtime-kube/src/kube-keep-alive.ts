/**
 * Kubernetes API calls over pooled keep-alive HTTPS connections.
 *
 * client-node 1.x gives every request a brand-new https.Agent (KubeConfig.applySecurityAuthentication
 * → createAgent), so every call pays a TCP and TLS handshake and the connection is closed after
 * one response; under a burst of reconciles that is most of the API server's (and our) CPU. A
 * KeepAliveKubeConfig keeps client-node's authentication (headers, exec and token-file
 * credentials, refreshed per request as before) and only swaps the agent for one shared pool per
 * TLS identity.
 *
 * It also sends through its own small HTTP library instead of node-fetch 2: node-fetch's check for
 * truncated chunked responses looks at listeners on the socket after the response closed, and on
 * a keep-alive socket already handed to the next request that check fails spuriously ("Premature
 * close", node-fetch/node-fetch#1767).
 *
 * Watches (client-node's Watch) are untouched: they hold a connection for minutes and would starve
 * the pool; they keep their own connection each, as before.
 */
import { createHash } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import {
  KubeConfig,
  ResponseContext,
  SelfDecodingBody,
  ServerConfiguration,
  createConfiguration,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import type { ApiConstructor, ApiType, HttpLibrary, RequestContext } from '@kubernetes/client-node';

export interface KeepAliveSettings {
  /** Connections per API server and identity; further requests wait for a free one. */
  maxSockets: number;
  /** An idle pooled connection is closed after this long (below the server's own idle timeout). */
  idleTimeoutMs: number;
}

export const DEFAULT_KEEP_ALIVE_SETTINGS: KeepAliveSettings = { maxSockets: 64, idleTimeoutMs: 30_000 };

/** Methods that can be resent when a reused connection turns out to be closed (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** The TLS options that make two agents interchangeable (who we are, whom we trust). */
const TLS_OPTION_NAMES = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

function tlsIdentity(options: https.AgentOptions): string {
  const hash = createHash('sha256');
  for (const name of TLS_OPTION_NAMES) {
    const value: unknown = options[name];
    hash.update(`${name}=`);
    if (Buffer.isBuffer(value) || typeof value === 'string') hash.update(value);
    else hash.update(JSON.stringify(value ?? null));
    hash.update('\n');
  }
  return hash.digest('hex');
}

export class KeepAliveKubeConfig extends KubeConfig {
  readonly #settings: KeepAliveSettings;
  readonly #agents = new Map<string, https.Agent>();
  readonly #httpLibrary: HttpLibrary = wrapHttpLibrary({ send: (request) => send(request) });

  /** A copy of `base` (clusters, users, contexts, current context) with pooled connections. */
  static from(base: KubeConfig, settings: Partial<KeepAliveSettings> = {}): KeepAliveKubeConfig {
    if (base instanceof KeepAliveKubeConfig) return base;
    const config = new KeepAliveKubeConfig(settings);
    config.loadFromOptions({
      clusters: base.clusters,
      users: base.users,
      contexts: base.contexts,
      currentContext: base.getCurrentContext(),
    });
    return config;
  }

  constructor(settings: Partial<KeepAliveSettings> = {}) {
    super();
    this.#settings = { ...DEFAULT_KEEP_ALIVE_SETTINGS, ...settings };
  }

  /** Like KubeConfig.makeApiClient, with the pooled HTTP library. */
  override makeApiClient<T extends ApiType>(apiClientType: ApiConstructor<T>): T {
    const cluster = this.getCurrentCluster();
    if (!cluster) throw new Error('No active cluster!');
    return new apiClientType(
      createConfiguration({
        baseServer: new ServerConfiguration(cluster.server, {}),
        authMethods: { default: this },
        httpApi: this.#httpLibrary,
      }),
    );
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const fresh = context.getAgent();
    // A proxy agent (hpagent's HttpsProxyAgent is an https.Agent too) carries the proxy: keep it.
    if (this.getCurrentCluster()?.proxyUrl || !(fresh instanceof https.Agent)) return;
    context.setAgent(this.#pooledAgent(fresh.options));
  }

  /** Closes the pooled connections (idle ones at once, busy ones when their response ends). */
  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }

  #pooledAgent(options: https.AgentOptions): https.Agent {
    const identity = tlsIdentity(options);
    let agent = this.#agents.get(identity);
    if (!agent) {
      const tls = Object.fromEntries(TLS_OPTION_NAMES.map((name) => [name, options[name]]).filter((entry) => entry[1] !== undefined));
      agent = new https.Agent({
        ...tls,
        keepAlive: true,
        maxSockets: this.#settings.maxSockets,
        maxFreeSockets: this.#settings.maxSockets,
        timeout: this.#settings.idleTimeoutMs,
        // Reuse the most recent connection, so the rest go idle and close when load drops.
        scheduling: 'lifo',
      });
      this.#agents.set(identity, agent);
    }
    return agent;
  }
}

/** Wraps `base` for pooled connections (returns it when it already pools). */
export function keepAliveKubeConfig(base: KubeConfig, settings: Partial<KeepAliveSettings> = {}): KeepAliveKubeConfig {
  return KeepAliveKubeConfig.from(base, settings);
}

async function send(request: RequestContext, attempt = 1): Promise<ResponseContext> {
  try {
    return await sendOnce(request);
  } catch (error) {
    // The server may close an idle pooled connection just as we reuse it; the request never
    // reached it, so an idempotent one is sent again on a fresh connection.
    const reused = (error as { reusedSocket?: boolean }).reusedSocket === true;
    const code = (error as NodeJS.ErrnoException).code;
    const method = request.getHttpMethod().toString();
    if (attempt === 1 && reused && (code === 'ECONNRESET' || code === 'EPIPE') && IDEMPOTENT_METHODS.has(method)) {
      return send(request, attempt + 1);
    }
    throw error;
  }
}

function sendOnce(request: RequestContext): Promise<ResponseContext> {
  const body = request.getBody();
  // The API clients send JSON text; FormData (file uploads) has no use against the Kubernetes API.
  if (body !== undefined && typeof body !== 'string') {
    return Promise.reject(new Error('only text request bodies are supported'));
  }
  const headers: Record<string, string> = { 'Accept-Encoding': 'gzip, deflate', ...request.getHeaders() };
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const outgoing = https.request(
      request.getUrl(),
      { method: request.getHttpMethod().toString(), headers, agent: request.getAgent(), signal: request.getSignal() },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          decoded(response, Buffer.concat(chunks)).then((content) => {
            const responseBody = new SelfDecodingBody(Promise.resolve(content));
            resolve(new ResponseContext(response.statusCode ?? 0, flatHeaders(response), responseBody));
          }, reject);
        });
      },
    );
    outgoing.on('error', (error) => reject(Object.assign(error, { reusedSocket: outgoing.reusedSocket })));
    outgoing.end(body);
  });
}

function decoded(response: IncomingMessage, content: Buffer): Promise<Buffer> {
  const encoding = response.headers['content-encoding'];
  if (encoding === 'gzip') return gunzipAsync(content);
  if (encoding === 'deflate') return inflateAsync(content);
  return Promise.resolve(content);
}

/** Header names in lower case, repeated headers joined (what fetch's Headers gave the clients). */
function flatHeaders(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
