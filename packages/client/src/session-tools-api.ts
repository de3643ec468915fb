/**
 * Session routes that are not about the live conversation: clone, transcript export, and the
 * workspace files (list a directory, read a file). Kept apart from client.ts so each file stays
 * small; client.ts attaches these to `sessions`.
 *
 * Workspace reads are sent once, not retried like other GETs: the server answers 503 when the
 * deployment mode has no workspace files at all, and asking again would only make the UI wait
 * through the backoff before saying so. Callers (the web UI's queries) decide about retries.
 */
import { cloneSessionResponseSchema, workspaceListingSchema } from '@ambient/contracts/api-routes/schemas';
import type { cloneSessionRequestSchema } from '@ambient/contracts';
import type { z } from 'zod';
import { errorFromResponse, InvalidResponseError } from './errors.ts';
import { segment } from './transport.ts';
import type { Transport } from './transport.ts';

interface Call {
  signal?: AbortSignal;
}

/** `targetProject` is where the copy goes (the caller needs `edit` there); `displayName` is optional. */
export type CloneSessionInput = z.input<typeof cloneSessionRequestSchema>;
export type CloneSessionResponse = z.infer<typeof cloneSessionResponseSchema>;
export type WorkspaceListing = z.infer<typeof workspaceListingSchema>;
export type WorkspaceEntry = WorkspaceListing['items'][number];

/** `json`: the resource and every raw event; `markdown`: a readable transcript. */
export type SessionExportFormat = 'json' | 'markdown';

export interface SessionExport {
  /** From the server's Content-Disposition, else `<session>.json` / `<session>.md`. */
  fileName: string;
  contentType: string;
  body: Blob;
}

/** A workspace path names a directory (answered with a listing) or a file (answered with its bytes). */
export type WorkspaceReadResult =
  | { type: 'directory'; listing: WorkspaceListing }
  | { type: 'file'; path: string; contentType: string; body: Blob };

export interface SessionToolsApi {
  /** A new session with the same spec (it runs the initial prompt again) in `targetProject`. */
  clone(
    project: string,
    name: string,
    body: CloneSessionInput,
    options?: Call,
  ): Promise<CloneSessionResponse>;
  /** The transcript up to the log's end when the request arrived, as a downloadable document. */
  export(
    project: string,
    name: string,
    format: SessionExportFormat,
    options?: Call,
  ): Promise<SessionExport>;
  workspace: WorkspaceApi;
}

export interface WorkspaceApi {
  /** One directory of the workspace (`''` is the top); directories first, then by name. */
  list(project: string, name: string, path?: string, options?: Call): Promise<WorkspaceListing>;
  /** A file's bytes (at most 10 MiB, else a 413), or a listing when the path is a directory. */
  read(project: string, name: string, path: string, options?: Call): Promise<WorkspaceReadResult>;
}

/** Each segment encoded on its own: `a/b c.txt` keeps its slash, and `?` or `#` in a name stay in the path. */
export function workspacePathSegments(path: string): string {
  return path
    .split('/')
    .filter((part) => part.length > 0)
    .map(segment)
    .join('/');
}

/** `attachment; filename="x.md"` → `x.md` (the server names exports after the session). */
export function fileNameFromDisposition(header: string | null): string | undefined {
  if (!header) return undefined;
  const encoded = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded.trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header)?.[1]?.trim();
  // Only a base name: a header must not choose where the file lands.
  return plain ? plain.split(/[\\/]/).pop() : undefined;
}

const EXPORT_EXTENSIONS: Record<SessionExportFormat, string> = { json: 'json', markdown: 'md' };

function isJson(contentType: string): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType);
}

export function createSessionToolsApi(
  transport: Transport,
  sessionPath: (project: string, name: string) => string,
): SessionToolsApi {
  /** One GET without the transport's retries; non-2xx answers become ClientError as usual. */
  async function getOnce(path: string, call: Call): Promise<Response> {
    const response = await transport.send('GET', path, {
      headers: transport.headers({ accept: '*/*' }),
      signal: call.signal,
    });
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  function parseListing(path: string, json: unknown): WorkspaceListing {
    const parsed = workspaceListingSchema.safeParse(json);
    if (!parsed.success) {
      throw new InvalidResponseError(`unexpected workspace listing from GET ${path}`);
    }
    return parsed.data;
  }

  async function read(project: string, name: string, path: string, call: Call = {}) {
    const encoded = workspacePathSegments(path);
    const url = `${sessionPath(project, name)}/workspace${encoded ? `/${encoded}` : ''}`;
    const response = await getOnce(url, call);
    const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
    if (isJson(contentType)) {
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new InvalidResponseError(`GET ${url} answered with a body that is not JSON`);
      }
      return { type: 'directory', listing: parseListing(url, json) } as const;
    }
    return { type: 'file', path, contentType, body: await response.blob() } as const;
  }

  return {
    clone: (project, name, body, call = {}) =>
      transport.request('POST', `${sessionPath(project, name)}/clone`, {
        body,
        schema: cloneSessionResponseSchema,
        ...call,
      }),
    async export(project, name, format, call = {}) {
      const query = new URLSearchParams({ format });
      const response = await getOnce(`${sessionPath(project, name)}/export?${query}`, call);
      const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
      const fileName =
        fileNameFromDisposition(response.headers.get('content-disposition')) ??
        `${name}.${EXPORT_EXTENSIONS[format]}`;
      return { fileName, contentType, body: await response.blob() };
    },
    workspace: {
      async list(project, name, path = '', call = {}) {
        const result = await read(project, name, path, call);
        if (result.type !== 'directory') {
          throw new InvalidResponseError(`${path} is a file, not a directory`);
        }
        return result.listing;
      },
      read,
    },
  };
}
