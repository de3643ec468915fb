/**
 * A minimal SSE reader for tests: yields `{id, data}` frames from a fetch Response body. Kept tiny
 * on purpose; the typed client package carries the production reader.
 */
export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

export async function* readSse(response: Response): AsyncGenerator<SseFrame> {
  if (!response.body) throw new Error('response has no body');
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let boundary = buffer.indexOf('\n\n');
    while (boundary >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      boundary = buffer.indexOf('\n\n');
      const frame: SseFrame = { data: '' };
      const dataLines: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') frame.id = value;
        else if (field === 'event') frame.event = value;
        else if (field === 'data') dataLines.push(value);
      }
      if (dataLines.length === 0) continue;
      frame.data = dataLines.join('\n');
      yield frame;
    }
  }
}
