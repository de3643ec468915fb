/**
 * What travels in a NOTIFY payload: which session changed and the newest seq (or cursor) committed.
 * Receivers only use it to decide whether to read; the events themselves are always read from the
 * tables, so a lost, duplicated or reordered notification can delay a delivery but never corrupt it.
 */

/** PostgreSQL rejects payloads of 8000 bytes or more; stay well below with room for the JSON. */
const MAX_PAYLOAD_BYTES = 7_900;

export interface ChangeNotice {
  /** Absent when the uid was too long to fit: the receiver then rechecks every session it follows. */
  sessionUid?: string;
  /** The highest seq/cursor the notifying transaction committed. */
  last: number;
}

export function encodeChangeNotice(sessionUid: string, last: number): string {
  const payload = JSON.stringify({ sessionUid, last });
  if (Buffer.byteLength(payload, 'utf8') <= MAX_PAYLOAD_BYTES) return payload;
  return JSON.stringify({ last });
}

/** Anything unreadable becomes "something changed somewhere", which costs reads, never events. */
export function decodeChangeNotice(payload: string | undefined): ChangeNotice {
  try {
    const value: unknown = JSON.parse(payload ?? '');
    if (typeof value === 'object' && value !== null) {
      const { sessionUid, last } = value as Record<string, unknown>;
      return {
        ...(typeof sessionUid === 'string' ? { sessionUid } : {}),
        last: typeof last === 'number' && Number.isFinite(last) ? last : Number.POSITIVE_INFINITY,
      };
    }
  } catch {
    // fall through to the conservative answer
  }
  return { last: Number.POSITIVE_INFINITY };
}
