/**
 * Parts of the cluster-scale bench: the operator in its own process (cluster-scale-operator.ts) and
 * what the bench watches (runner Jobs appearing, session phases), timestamped as events arrive
 * rather than by polling, so the figures do not depend on a poll interval and the bench adds no
 * list load of its own to the API server it measures.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Watch } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { AgenticSessionKind } from '@ambient/contracts';
import type { KubeResourceStore } from '@ambient/runtime-kube';
import type { OperatorProcessMessage, OperatorProcessStats } from './cluster-scale-operator.ts';

export interface OperatorProcess {
  stats(): Promise<OperatorProcessStats>;
  stop(): Promise<void>;
}

/** Forks the operator with `environment` and resolves once it leads. */
export async function startOperatorProcess(environment: Record<string, string>): Promise<OperatorProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./cluster-scale-operator.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = (type: OperatorProcessMessage['type']): Promise<OperatorProcessMessage> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: OperatorProcessMessage): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      void exited.then(() => reject(new Error(`the operator process exited (waiting for ${type})`)));
    });
  await next('leading');
  return {
    async stats() {
      const answer = next('stats');
      child.send({ type: 'stats' });
      return (await answer) as OperatorProcessStats;
    },
    async stop() {
      child.send({ type: 'stop' });
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export interface Progress {
  /** Milliseconds (performance.now) when the count first reached `target`, if it has. */
  reachedAtMs(): number | undefined;
  count(): number;
  stop(): void;
}

function progress(target: number, startWatch: (onItem: (name: string, counts: boolean) => void) => () => void): Progress {
  const counted = new Set<string>();
  let reachedAtMs: number | undefined;
  const stop = startWatch((name, counts) => {
    if (counts) counted.add(name);
    else counted.delete(name);
    if (reachedAtMs === undefined && counted.size >= target) reachedAtMs = performance.now();
  });
  return { reachedAtMs: () => reachedAtMs, count: () => counted.size, stop };
}

interface WatchedObject {
  metadata?: { name?: string };
  spec?: { nodeName?: string };
  status?: { phase?: string };
}

/**
 * Counts the objects under `path` (a namespaced collection) for which `counts` holds, as the watch
 * reports them. The API server ends watches after a while: watching again from the start re-reports
 * every object as ADDED, which counts nothing twice (a set of names).
 */
export function watchObjects(kubeConfig: KubeConfig, path: string, labelSelector: string | undefined, counts: (object: WatchedObject) => boolean, target: number): Progress {
  return progress(target, (onItem) => {
    let request: AbortController | undefined;
    let stopped = false;
    const connect = (): void => {
      void new Watch(kubeConfig)
        .watch(
          path,
          labelSelector ? { labelSelector } : {},
          (type: string, object: WatchedObject) => {
            const name = object.metadata?.name;
            if (name) onItem(name, type !== 'DELETED' && counts(object));
          },
          () => {
            if (!stopped) connect();
          },
        )
        .then((controller) => {
          if (stopped) controller.abort();
          else request = controller;
        });
    };
    connect();
    return () => {
      stopped = true;
      request?.abort();
    };
  });
}

/** Counts the runner Jobs of `namespace`. */
export function watchJobs(kubeConfig: KubeConfig, namespace: string, target: number): Progress {
  return watchObjects(kubeConfig, `/apis/batch/v1/namespaces/${namespace}/jobs`, 'app=ambient-code-runner', () => true, target);
}

/** Counts the sessions of `namespace` whose status.phase is `phase`. */
export function watchSessionPhase(store: KubeResourceStore, namespace: string, phase: string, target: number): Progress {
  return progress(target, (onItem) =>
    store.watch(AgenticSessionKind, { namespace, onError: (error) => console.error('session watch failed', error) }, (event) =>
      onItem(event.object.metadata.name, event.type !== 'DELETED' && event.object.status?.phase === phase),
    ),
  );
}

export async function waitFor(condition: () => boolean, deadlineMs: number): Promise<boolean> {
  while (!condition()) {
    if (performance.now() > deadlineMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}
