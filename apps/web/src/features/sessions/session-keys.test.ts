import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { projectKeys } from '../projects/project-keys.ts';
import { sessionKeys } from './session-keys.ts';

describe('sessionKeys', () => {
  it('nests every key under its parent, so invalidating a parent reaches its children', () => {
    expect(sessionKeys.list('team-a').slice(0, 2)).toEqual([...sessionKeys.lists()]);
    expect(sessionKeys.detail('team-a', 's1').slice(0, 2)).toEqual([...sessionKeys.details()]);
    expect(sessionKeys.chat('team-a', 's1').slice(0, 2)).toEqual([...sessionKeys.chats()]);
    for (const key of [sessionKeys.lists(), sessionKeys.details(), sessionKeys.chats()]) {
      expect(key[0]).toBe(sessionKeys.all[0]);
    }
  });

  it('keeps projects, sessions and kinds of session data apart', () => {
    const keys = [
      sessionKeys.list('a'),
      sessionKeys.list('b'),
      sessionKeys.detail('a', 's'),
      sessionKeys.detail('b', 's'),
      sessionKeys.chat('a', 's'),
      projectKeys.detail('a'),
      projectKeys.list(),
    ].map((key) => JSON.stringify(key));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('invalidates a project list without touching a chat cursor', async () => {
    const client = new QueryClient();
    client.setQueryData(sessionKeys.list('a'), ['x']);
    client.setQueryData(sessionKeys.chat('a', 's'), { lastSeq: 7 });
    await client.invalidateQueries({ queryKey: sessionKeys.lists() });
    expect(client.getQueryState(sessionKeys.list('a'))?.isInvalidated).toBe(true);
    expect(client.getQueryState(sessionKeys.chat('a', 's'))?.isInvalidated).toBe(false);
  });
});
