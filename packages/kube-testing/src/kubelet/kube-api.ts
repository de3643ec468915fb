import { ApiException, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';

/** Request options that send a patch body as a JSON merge patch (client-node defaults to JSON patch). */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** True when `error` is an API answer with HTTP status `code` (404, 409, …). */
export function isApiStatus(error: unknown, code: number): boolean {
  return error instanceof ApiException && error.code === code;
}

/** metav1.Time (RFC 3339, what `toISOString` gives). */
export function apiTime(date: Date = new Date()): string {
  return date.toISOString();
}

/** metav1.MicroTime insists on exactly six fractional digits (Lease renewTime). */
export function apiMicroTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    return `HTTP ${error.code}: ${typeof body === 'string' ? body : JSON.stringify(body)}`;
  }
  return error instanceof Error ? error.message : String(error);
}
