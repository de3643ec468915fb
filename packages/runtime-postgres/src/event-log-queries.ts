/**
 * The SQL of the event log. `appendInTransaction` is the heart of it: the summary row of the session
 * is locked first (SELECT ... FOR UPDATE), so appends to one session from any number of API replicas
 * run one after the other and each sees the seq and producerSeq the previous one committed.
 */
import type { SessionEvent } from '@ambient/contracts';
import { ConflictError, EMPTY_SUMMARY, foldSummary } from '@ambient/core';
import type { AppendInput, AppendResult, SessionSummary } from '@ambient/core';
import type { ClientBase, Pool } from 'pg';
import { encodeChangeNotice } from './notification-payload.ts';
import { toStorableJson } from './storable-json.ts';
import { toNumber } from './transaction.ts';

export const EVENTS_CHANNEL = 'ambient_session_events';

interface EventRow {
  seq: number;
  producerSeq: number | null;
  json: string;
}

export async function appendInTransaction(
  client: ClientBase,
  sessionUid: string,
  inputs: readonly AppendInput[],
  atIso: string,
): Promise<AppendResult> {
  let summary = await lockSummary(client, sessionUid);
  const appended: SessionEvent[] = [];
  const rows: EventRow[] = [];
  for (const { event, producerSeq } of inputs) {
    if (producerSeq !== undefined) {
      // Already stored: a resend after a reconnect or restart (possibly to another replica).
      if (producerSeq <= summary.lastProducerSeq) continue;
      if (producerSeq > summary.lastProducerSeq + 1) {
        // Thrown inside the transaction, so nothing of this call is stored.
        throw new ConflictError(
          `producerSeq ${producerSeq} leaves a gap: the log holds up to ${summary.lastProducerSeq}; resend from ${summary.lastProducerSeq + 1}`,
          { lastProducerSeq: summary.lastProducerSeq, producerSeq },
        );
      }
    }
    const seq = summary.lastSeq + 1;
    const stored: SessionEvent = { ...event, seq };
    const { json, replaced } = toStorableJson(stored);
    rows.push({ seq, producerSeq: producerSeq ?? null, json });
    summary = foldSummary(summary, event, seq, producerSeq, atIso);
    appended.push(replaced ? (JSON.parse(json) as SessionEvent) : stored);
  }
  if (rows.length > 0) {
    await insertEvents(client, sessionUid, rows, atIso);
    await saveSummary(client, sessionUid, summary, atIso);
    // Delivered by PostgreSQL only when (and if) this transaction commits.
    await client.query('SELECT pg_notify($1, $2)', [
      EVENTS_CHANNEL,
      encodeChangeNotice(sessionUid, summary.lastSeq),
    ]);
  }
  return { appended, lastSeq: summary.lastSeq, lastProducerSeq: summary.lastProducerSeq };
}

/** Locks the session's summary row, creating an empty one for a new session so there is a row. */
async function lockSummary(client: ClientBase, sessionUid: string): Promise<SessionSummary> {
  const select = 'SELECT summary FROM session_summaries WHERE session_uid = $1 FOR UPDATE';
  const existing = await client.query<{ summary: SessionSummary }>(select, [sessionUid]);
  if (existing.rows[0]) return existing.rows[0].summary;
  // A concurrent first append waits here for the other's commit, then finds its row below. The
  // empty row only survives if this transaction commits, which it does with at least one event.
  await client.query(
    `INSERT INTO session_summaries (session_uid, last_seq, last_producer_seq, summary, updated_at)
     VALUES ($1, 0, 0, $2::jsonb, now())
     ON CONFLICT (session_uid) DO NOTHING`,
    [sessionUid, JSON.stringify(EMPTY_SUMMARY)],
  );
  const created = await client.query<{ summary: SessionSummary }>(select, [sessionUid]);
  if (!created.rows[0]) throw new Error(`could not lock the summary of session ${sessionUid}`);
  return created.rows[0].summary;
}

/** One statement for the whole batch: a 1,000-event resend is one round trip, not a thousand. */
async function insertEvents(
  client: ClientBase,
  sessionUid: string,
  rows: readonly EventRow[],
  atIso: string,
): Promise<void> {
  await client.query(
    `INSERT INTO session_events (session_uid, seq, producer_seq, event, created_at)
     SELECT $1, batch.seq, batch.producer_seq, batch.event::jsonb, $5::timestamptz
     FROM unnest($2::bigint[], $3::bigint[], $4::text[]) AS batch (seq, producer_seq, event)`,
    [
      sessionUid,
      rows.map((row) => row.seq),
      rows.map((row) => row.producerSeq),
      rows.map((row) => row.json),
      atIso,
    ],
  );
}

async function saveSummary(
  client: ClientBase,
  sessionUid: string,
  summary: SessionSummary,
  atIso: string,
): Promise<void> {
  await client.query(
    `UPDATE session_summaries
     SET last_seq = $2, last_producer_seq = $3, summary = $4::jsonb, updated_at = $5::timestamptz
     WHERE session_uid = $1`,
    [sessionUid, summary.lastSeq, summary.lastProducerSeq, toStorableJson(summary).json, atIso],
  );
}

export async function readSummary(pool: Pool, sessionUid: string): Promise<SessionSummary> {
  const { rows } = await pool.query<{ summary: SessionSummary }>(
    'SELECT summary FROM session_summaries WHERE session_uid = $1',
    [sessionUid],
  );
  return rows[0]?.summary ?? { ...EMPTY_SUMMARY };
}

export async function readLastSeq(pool: Pool, sessionUid: string): Promise<number> {
  const { rows } = await pool.query<{ last_seq: string }>(
    'SELECT last_seq FROM session_summaries WHERE session_uid = $1',
    [sessionUid],
  );
  return rows[0] ? toNumber(rows[0].last_seq) : 0;
}

/** `limit` undefined means all: LIMIT NULL is PostgreSQL for "no limit". */
export async function readEventsAfter(
  pool: Pool,
  sessionUid: string,
  afterSeq: number,
  limit: number | undefined,
): Promise<SessionEvent[]> {
  const { rows } = await pool.query<{ event: SessionEvent }>(
    `SELECT event FROM session_events
     WHERE session_uid = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [sessionUid, afterSeq, limit ?? null],
  );
  return rows.map((row) => row.event);
}

/**
 * The summary row first: that waits for an append in flight (it holds the row lock), and the events
 * delete that follows then sees that append's events too, so none are left behind.
 */
export async function deleteSessionEvents(client: ClientBase, sessionUid: string): Promise<void> {
  await client.query('DELETE FROM session_summaries WHERE session_uid = $1', [sessionUid]);
  await client.query('DELETE FROM session_events WHERE session_uid = $1', [sessionUid]);
}
