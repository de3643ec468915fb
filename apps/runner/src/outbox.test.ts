import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventType } from '@ambient/contracts';
import type { AgUiEvent } from '@ambient/contracts';
import { Outbox } from './outbox.ts';

const event = (index: number): AgUiEvent => ({
  type: EventType.CUSTOM,
  name: 'test',
  value: index,
});
const seqs = (outbox: Outbox) => outbox.pendingAfter(0).map((envelope) => envelope.producerSeq);
const lines = (filePath: string) => readFileSync(filePath, 'utf8').trim().split('\n');

describe('Outbox', () => {
  let directory: string;
  let filePath: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'outbox-'));
    filePath = join(directory, '.ambient', 'outbox.jsonl');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('numbers events from 1 without gaps and keeps them until acknowledged', () => {
    const outbox = new Outbox({ filePath });
    for (let index = 0; index < 5; index += 1) outbox.append(event(index));
    expect(seqs(outbox)).toEqual([1, 2, 3, 4, 5]);
    outbox.acknowledge(3);
    expect(seqs(outbox)).toEqual([4, 5]);
    expect(outbox.pendingAfter(4)).toEqual([{ producerSeq: 5, event: event(4) }]);
  });

  it('buffers writes and puts a batch on disk with one flush', () => {
    const outbox = new Outbox({ filePath, flushDelayMs: 60_000 });
    for (let index = 0; index < 100; index += 1) outbox.append(event(index));
    expect(lines(filePath)).toHaveLength(1); // just the state line written at open
    outbox.flush();
    expect(lines(filePath)).toHaveLength(101);
  });

  it('survives a restart: pending events come back and numbering continues after them', () => {
    const first = new Outbox({ filePath });
    for (let index = 0; index < 4; index += 1) first.append(event(index));
    first.acknowledge(2);
    first.close();
    const second = new Outbox({ filePath });
    expect(seqs(second)).toEqual([3, 4]);
    expect(second.append(event(99)).producerSeq).toBe(5);
  });

  it('keeps the counter when everything was acknowledged and compacted away', () => {
    const first = new Outbox({ filePath, compactAfterAckedLines: 2 });
    for (let index = 0; index < 10; index += 1) first.append(event(index));
    first.acknowledge(10);
    first.close();
    expect(lines(filePath)).toHaveLength(1); // compacted to the state line
    const second = new Outbox({ filePath });
    expect(second.pendingCount).toBe(0);
    expect(second.append(event(10)).producerSeq).toBe(11);
  });

  it('compacts the file once enough acknowledged lines piled up', () => {
    const outbox = new Outbox({ filePath, compactAfterAckedLines: 50 });
    for (let index = 0; index < 60; index += 1) outbox.append(event(index));
    outbox.flush();
    outbox.acknowledge(55);
    outbox.flush();
    expect(lines(filePath)).toHaveLength(1 + 5);
  });

  it('ignores a line cut short by a kill mid-write', () => {
    const first = new Outbox({ filePath });
    first.append(event(1));
    first.append(event(2));
    first.close();
    appendFileSync(filePath, '{"producerSeq":3,"event":{"type":"CUS');
    const second = new Outbox({ filePath });
    expect(seqs(second)).toEqual([1, 2]);
    expect(second.append(event(3)).producerSeq).toBe(3);
    second.close();
    expect(seqs(new Outbox({ filePath }))).toEqual([1, 2, 3]);
  });

  it('welcome: drops what the server holds and resends the rest with the same numbers', () => {
    const outbox = new Outbox({ filePath });
    for (let index = 0; index < 5; index += 1) outbox.append(event(index));
    outbox.markSent(5);
    outbox.reconcile(3);
    expect(seqs(outbox)).toEqual([4, 5]);
  });

  it('welcome: renumbers never-sent events when the server holds more than this outbox knows', () => {
    const outbox = new Outbox({ filePath }); // e.g. the workspace lost its outbox
    outbox.append(event(1));
    outbox.append(event(2));
    outbox.reconcile(7);
    expect(outbox.pendingAfter(0)).toEqual([
      { producerSeq: 8, event: event(1) },
      { producerSeq: 9, event: event(2) },
    ]);
    expect(outbox.append(event(3)).producerSeq).toBe(10);
    outbox.close();
    expect(seqs(new Outbox({ filePath }))).toEqual([8, 9, 10]);
  });

  it('works in memory when the workspace is not writable', () => {
    const outbox = new Outbox();
    outbox.append(event(1));
    outbox.flush();
    expect(seqs(outbox)).toEqual([1]);
  });
});
