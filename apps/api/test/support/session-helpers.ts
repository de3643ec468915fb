/** Small steps the cluster-mode end-to-end tests share: projects, sessions, their Jobs and events. */
import { BatchV1Api } from '@kubernetes/client-node';
import { expect } from 'vitest';
import type { AgenticSession } from '@ambient/contracts';
import { waitUntil } from '@ambient/kube-testing';
import { readSse } from '@ambient/testing/sse-client';
import type { ClusterPlatform } from './cluster-platform.ts';

export interface StreamedEvent {
  seq: number;
  type: string;
  [key: string]: unknown;
}

export type SessionView = Pick<AgenticSession, 'metadata' | 'spec' | 'status'>;

export const isRunEnd = (event: StreamedEvent): boolean => event.type === 'RUN_FINISHED' || event.type === 'RUN_ERROR';

export async function createProject(platform: ClusterPlatform, token: string, name: string): Promise<void> {
  const created = await platform.call(token, '/api/projects', { method: 'POST', body: JSON.stringify({ name }) });
  expect(created.status, await created.clone().text()).toBe(201);
}

/** Creates a session and returns its name. */
export async function createSession(platform: ClusterPlatform, token: string, project: string, body: Record<string, unknown>): Promise<string> {
  const response = await platform.call(token, `/api/projects/${project}/agentic-sessions`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { name: string }).name;
}

export async function getSession(platform: ClusterPlatform, token: string, project: string, name: string): Promise<SessionView> {
  const response = await platform.call(token, `/api/projects/${project}/agentic-sessions/${name}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as SessionView;
}

/** Polls the session over the API until `predicate` holds; returns it then. */
export async function waitForSession(
  platform: ClusterPlatform,
  token: string,
  project: string,
  name: string,
  description: string,
  predicate: (session: SessionView) => boolean,
  timeoutMs = 60_000,
): Promise<SessionView> {
  let session: SessionView | undefined;
  try {
    await waitUntil(`session ${name}: ${description}`, async () => {
      session = await getSession(platform, token, project, name);
      return predicate(session);
    }, { timeoutMs, intervalMs: 200 });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; last status: ${JSON.stringify(session?.status)}`, { cause: error });
  }
  return session!;
}

export const inPhase = (...phases: string[]) => (session: SessionView): boolean => phases.includes(session.status?.phase ?? 'Pending');

/** The names of a session's runner Jobs (every run), sorted. */
export async function runnerJobNames(platform: ClusterPlatform, project: string, sessionName: string): Promise<string[]> {
  const jobs = await platform.cluster.kubeConfig
    .makeApiClient(BatchV1Api)
    .listNamespacedJob({ namespace: project, labelSelector: `agentic-session=${sessionName},app=ambient-code-runner` });
  return jobs.items.map((job) => job.metadata?.name ?? '').sort();
}

/** Events of the session's stream from `afterSeq`, until `stop` says so (or the timeout aborts). */
export async function collectEvents(
  platform: ClusterPlatform,
  token: string,
  path: string,
  stop: (event: StreamedEvent) => boolean,
  options: { afterSeq?: number; timeoutMs?: number } = {},
): Promise<StreamedEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 90_000);
  const events: StreamedEvent[] = [];
  try {
    const headers: Record<string, string> = options.afterSeq === undefined ? {} : { 'last-event-id': String(options.afterSeq) };
    const stream = await platform.call(token, path, { headers, signal: controller.signal });
    expect(stream.status).toBe(200);
    for await (const frame of readSse(stream)) {
      const event = JSON.parse(frame.data) as StreamedEvent;
      events.push(event);
      if (stop(event)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

export function readyCondition(session: SessionView): { reason?: string; message?: string } | undefined {
  return session.status?.conditions?.find((condition) => condition.type === 'Ready');
}
