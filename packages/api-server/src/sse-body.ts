/**
 * The body of an SSE response, gzip-encoded when the client accepts it.
 *
 * A reconnect replays a compacted snapshot of the finished runs: JSON text that deflate shrinks
 * many times over (the 100,000-event bench session: 1,129 kB → about 30 kB on the wire; real
 * Claude Code transcripts about 4×). Browsers and Node's fetch decode `Content-Encoding: gzip` on
 * their own, so clients are unchanged.
 *
 * What a stream needs that a compressing proxy would not give it:
 * - every write leaves at once, never held back for a fuller block: each write ends on a byte
 *   boundary (a sync-flushed deflate segment, or a stored block), so the reader decodes all of it
 *   as soon as it arrives;
 * - each write resolves only when the response has taken its bytes, so the transport's
 *   backpressure (catch-up pacing, slow-consumer cut-off) works as without compression;
 * - no cost while a stream idles or follows live: a deflate state per open stream would hold
 *   ~200 kB for hours. So each large write (the snapshot, a catch-up page, a big tool result) is
 *   deflated on its own, off the event loop, and small ones (live deltas, keepalives) go as stored
 *   blocks, which cost five bytes and no compression work. Deflate segments and stored blocks can follow each other
 *   freely; one gzip header starts the body, and an empty final block plus the CRC-32 and length
 *   of everything written end it.
 */
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw } from 'node:zlib';

const deflateRawAsync = promisify(deflateRaw);

/**
 * Writes at least this large are deflated; smaller ones go as stored blocks. Catch-up (the
 * snapshot, pages of stored events) and large tool results are far above it; a live batch of a
 * few deltas is below it, so following a session costs each viewer no compression work, and a
 * hundred viewers of a busy session do not queue thousands of deflate jobs a second.
 */
export const DEFAULT_COMPRESS_MIN_BYTES = 8 * 1024;

/** gzip member header: magic, deflate, no flags, no mtime, no extra flags, unknown OS. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);
/** An empty stored block with BFINAL set: the end of the deflate data. */
const FINAL_EMPTY_BLOCK = Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff]);
const MAX_STORED_BLOCK_BYTES = 65_535;

/** Whether an Accept-Encoding header allows gzip (`gzip` or `x-gzip`, unless its q is 0). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(',').some((entry) => {
    const [coding, ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== 'x-gzip') return false;
    const quality = parameters.find((parameter) => parameter.startsWith('q='));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

export interface SseBody {
  /** Content-Encoding of the response, when not identity. */
  readonly contentEncoding?: string;
  /** Writes text; resolves when the response has taken it (the reader's pace). */
  write(text: string): Promise<void>;
  /** Completes the body (gzip: its final block and trailer) so the response can end cleanly. */
  end(): Promise<void>;
  /** Writes nothing more (the reader is gone or cut off). */
  destroy(): void;
}

/** The bytes sink: hono's stream write, which resolves when the response took the bytes. */
export type ByteSink = (bytes: Uint8Array | string) => Promise<unknown>;

export function plainSseBody(sink: ByteSink): SseBody {
  return {
    write: async (text) => void (await sink(text)),
    end: async () => undefined,
    destroy: () => undefined,
  };
}

/** Uncompressed deflate blocks (BFINAL 0, BTYPE 00), byte-aligned: header, LEN, NLEN, data. */
function storedBlocks(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += MAX_STORED_BLOCK_BYTES) {
    const piece = data.subarray(offset, offset + MAX_STORED_BLOCK_BYTES);
    const header = Buffer.alloc(5);
    header.writeUInt16LE(piece.length, 1);
    header.writeUInt16LE(~piece.length & 0xffff, 3);
    parts.push(header, piece);
  }
  return Buffer.concat(parts);
}

export function gzipSseBody(sink: ByteSink, options: { compressMinBytes?: number } = {}): SseBody {
  const compressMinBytes = options.compressMinBytes ?? DEFAULT_COMPRESS_MIN_BYTES;
  let state: 'open' | 'ending' | 'destroyed' = 'open';
  let checksum = 0;
  let inputBytes = 0;
  let headerSent = false;
  // Writes are encoded and handed over one at a time: checksum and blocks follow the write order.
  let previous: Promise<unknown> = Promise.resolve();
  const inOrder = (encode: () => Promise<Buffer> | Buffer): Promise<void> => {
    const next = previous.then(async () => {
      if (state === 'destroyed') return;
      const bytes = await encode();
      await sink(headerSent ? bytes : Buffer.concat([GZIP_HEADER, bytes]));
      headerSent = true;
    });
    previous = next.catch(() => undefined);
    return next;
  };
  return {
    contentEncoding: 'gzip',
    write(text) {
      if (state !== 'open') return Promise.resolve();
      return inOrder(() => {
        const data = Buffer.from(text);
        checksum = crc32(data, checksum);
        inputBytes = (inputBytes + data.length) >>> 0; // ISIZE is the length modulo 2^32
        if (data.length < compressMinBytes) return storedBlocks(data);
        // A sync flush ends the segment on a byte boundary without ending the deflate stream.
        return deflateRawAsync(data, { finishFlush: constants.Z_SYNC_FLUSH });
      });
    },
    end() {
      if (state !== 'open') return Promise.resolve();
      state = 'ending'; // writes queued before still go out, then the end
      return inOrder(() => {
        const trailer = Buffer.alloc(8);
        trailer.writeUInt32LE(checksum >>> 0, 0);
        trailer.writeUInt32LE(inputBytes, 4);
        return Buffer.concat([FINAL_EMPTY_BLOCK, trailer]);
      });
    },
    destroy() {
      state = 'destroyed';
    },
  };
}

/** The body for a request: gzip when its Accept-Encoding allows it, plain text otherwise. */
export function sseBodyFor(acceptEncoding: string | undefined, sink: ByteSink): SseBody {
  return acceptsGzip(acceptEncoding) ? gzipSseBody(sink) : plainSseBody(sink);
}
