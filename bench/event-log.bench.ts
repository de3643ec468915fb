/** Event log append throughput on a file-backed SQLite database (WAL). */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, SqliteEventLog } from '@ambient/runtime-local';
import { summarize } from './stats.ts';

function textEvents(count: number, firstProducerSeq: number) {
  return Array.from({ length: count }, (_value, index) => ({
    producerSeq: firstProducerSeq + index,
    event: { type: 'TEXT_MESSAGE_CONTENT', messageId: 'm1', delta: `token ${index} ` } as never,
  }));
}

export async function benchEventLog(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-events-'));
  const database = openDatabase(join(directory, 'bench.db'));
  const log = new SqliteEventLog(database);
  try {
    const batchTimings: number[] = [];
    const uid = randomUUID();
    const batchSize = 100;
    const batches = 1_000;
    const started = performance.now();
    for (let batch = 0; batch < batches; batch += 1) {
      const batchStarted = performance.now();
      await log.append(uid, textEvents(batchSize, batch * batchSize + 1));
      batchTimings.push(performance.now() - batchStarted);
    }
    const totalMs = performance.now() - started;
    console.log(`event log: ${batches * batchSize} events in ${totalMs.toFixed(0)} ms = ${Math.round((batches * batchSize) / (totalMs / 1000))} events/s`);
    console.log(summarize(`event log append (batch of ${batchSize})`, batchTimings));
    const single: number[] = [];
    const singleUid = randomUUID();
    for (let index = 1; index <= 2_000; index += 1) {
      const singleStarted = performance.now();
      await log.append(singleUid, textEvents(1, index));
      single.push(performance.now() - singleStarted);
    }
    console.log(summarize('event log append (single event)', single));
  } finally {
    database.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
