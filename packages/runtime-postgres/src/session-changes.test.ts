/** The API-server → operator nudge over a real PostgreSQL: NOTIFY from one pool, heard on another. */
import { describe, expect, it } from 'vitest';
import { listenForSessionChanges, notifySessionChanged } from './session-changes.ts';
import { useTestDatabases } from './test-databases.ts';

const databases = useTestDatabases();

describe('session change hints', () => {
  it('reach a listener on another connection, in order, and nothing else', async () => {
    const database = await databases.create();
    const [apiPool, operatorPool] = [database.openPool(), database.openPool()];
    const heard: string[] = [];
    const errors: unknown[] = [];
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const listener = listenForSessionChanges(
      operatorPool,
      { onChange: (namespace, name) => heard.push(`${namespace}/${name}`), onReconnect: () => undefined },
      (error) => errors.push(error),
    );
    // The first LISTEN happens asynchronously; a probe notification tells us it is active.
    const probe = setInterval(() => void notifySessionChanged(apiPool, 'probe', 'ready'), 50);
    const waitFor = async (predicate: () => boolean) => {
      for (let attempt = 0; attempt < 200 && !predicate(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await waitFor(() => heard.includes('probe/ready'));
    clearInterval(probe);
    listening();
    await ready;
    heard.length = 0;
    await notifySessionChanged(apiPool, 'team-a', 'session-1');
    await notifySessionChanged(apiPool, 'team-b', 'session-2');
    await apiPool.query("SELECT pg_notify('ambient_session_changes', 'not json')");
    await waitFor(() => heard.length >= 2 && errors.length >= 1);
    expect(heard.filter((entry) => entry !== 'probe/ready')).toEqual(['team-a/session-1', 'team-b/session-2']);
    expect(errors).toHaveLength(1);
    await listener.close();
    await apiPool.end();
    await operatorPool.end();
  });
});
