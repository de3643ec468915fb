/**
 * Saving a file the API returned. The token travels in a header, never in a URL (ADR 0007), so a
 * plain link cannot download an authorised file: the UI fetches it through the client and hands
 * the browser the bytes as an object URL with a `download` name.
 */

/** Long enough for the browser to start the download; the URL only holds memory until then. */
const REVOKE_AFTER_MS = 60_000;

export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/** The last segment of a workspace path, the name a downloaded file gets. */
export function baseName(path: string): string {
  return path.split('/').filter(Boolean).pop() ?? 'download';
}
