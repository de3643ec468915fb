/**
 * The SSE body encoder: gzip only when the client accepts it, every write decodable on its own as
 * soon as it was written (a live event must not wait for more data), and a complete gzip member
 * at the end.
 */
import { constants, gunzipSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, gzipSseBody, plainSseBody } from './sse-body.ts';

describe('acceptsGzip', () => {
  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['', false],
    ['identity', false],
    ['gzip', true],
    ['gzip, deflate, br, zstd', true],
    ['br;q=1.0, GZIP;q=0.5', true],
    ['x-gzip', true],
    ['gzip;q=0', false],
    ['gzip; q=0.0, deflate', false],
    ['gzipped', false],
  ])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('gzipSseBody', () => {
  /** Decodes a gzip stream that may lack its end (what a reader holds mid-stream). */
  function decodeSoFar(chunks: readonly Uint8Array[]): string {
    const bytes = Buffer.concat(chunks);
    // 10-byte gzip header, then raw deflate; a sync flush leaves every byte so far decodable.
    return inflateRawSync(bytes.subarray(10), { finishFlush: constants.Z_SYNC_FLUSH }).toString();
  }

  it('hands each write to the response as decodable bytes before the write resolves', async () => {
    const chunks: Uint8Array[] = [];
    const body = gzipSseBody(
      async (bytes) => void chunks.push(typeof bytes === 'string' ? Buffer.from(bytes) : bytes),
    );
    expect(body.contentEncoding).toBe('gzip');
    // A small frame (stored), a large one (deflated), a small one again, and one with non-ASCII text.
    const snapshot = `id: 1\ndata: ${JSON.stringify({ seq: 1, messages: Array.from({ length: 400 }, (_, index) => ({ id: index, text: 'same words again' })) })}\n\n`;
    const frames = [
      'retry: 2000\n\n',
      snapshot,
      'id: 2\ndata: {"seq":2}\n\n',
      'id: 3\ndata: {"delta":"héllo ✓"}\n\n',
    ];
    let written = '';
    for (const frame of frames) {
      const before = Buffer.concat(chunks).length;
      await body.write(frame);
      written += frame;
      expect(decodeSoFar(chunks)).toBe(written);
      if (frame === snapshot)
        expect(Buffer.concat(chunks).length - before).toBeLessThan(snapshot.length / 10);
    }
    await body.end();
    expect(gunzipSync(Buffer.concat(chunks)).toString()).toBe(written); // checks the CRC-32 and length too
    await body.write('after the end\n\n'); // ignored, no throw
    expect(gunzipSync(Buffer.concat(chunks)).toString()).toBe(written);
  });

  it('splits a large uncompressed write into stored blocks of at most 65,535 bytes', async () => {
    const chunks: Uint8Array[] = [];
    const body = gzipSseBody(async (bytes) => void chunks.push(bytes as Uint8Array), {
      compressMinBytes: Number.POSITIVE_INFINITY,
    });
    const text = `data: ${'x'.repeat(150_000)}\n\n`;
    await body.write(text);
    await body.end();
    expect(gunzipSync(Buffer.concat(chunks)).toString()).toBe(text);
  });

  it('writes nothing more once destroyed', async () => {
    const chunks: Uint8Array[] = [];
    const body = gzipSseBody(async (bytes) => void chunks.push(bytes as Uint8Array));
    await body.write('id: 1\ndata: {}\n\n');
    const sent = Buffer.concat(chunks).length;
    body.destroy();
    await body.write('id: 2\ndata: {}\n\n');
    await body.end();
    expect(Buffer.concat(chunks).length).toBe(sent);
  });

  it('waits for the response to take the bytes (backpressure reaches the stream)', async () => {
    let release = (): void => undefined;
    const taken = new Promise<void>((resolve) => (release = resolve));
    let handedOver = (): void => undefined;
    const compressed = new Promise<void>((resolve) => (handedOver = resolve));
    const body = gzipSseBody(() => {
      handedOver();
      return taken;
    });
    let done = false;
    const write = body.write('id: 1\ndata: {}\n\n').then(() => (done = true));
    await compressed;
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    release();
    await write;
    expect(done).toBe(true);
  });

  it('plain bodies pass text through unchanged', async () => {
    const written: (Uint8Array | string)[] = [];
    const body = plainSseBody(async (bytes) => void written.push(bytes));
    await body.write('id: 1\ndata: {}\n\n');
    await body.end();
    expect(body.contentEncoding).toBeUndefined();
    expect(written).toEqual(['id: 1\ndata: {}\n\n']);
  });
});
