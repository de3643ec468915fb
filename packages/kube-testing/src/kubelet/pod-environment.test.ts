import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ObjectLookups } from './object-lookups.ts';
import {
  declaredEnvironment,
  expandReferences,
  pathMappingsFor,
  rewritePath,
} from './pod-environment.ts';
import { PodNotReadyError } from './pod-volumes.ts';

const lookups: ObjectLookups = {
  secret: async (name) =>
    name === 'credentials'
      ? { data: { token: Buffer.from('s3cret').toString('base64') } }
      : undefined,
  configMap: async (name) =>
    name === 'settings' ? { data: { MODE: 'fast', LEVEL: '2' } } : undefined,
};

describe('path rewriting', () => {
  const mappings = pathMappingsFor(
    {
      name: 'main',
      volumeMounts: [
        { name: 'work', mountPath: '/workspace/' },
        { name: 'repo', mountPath: '/workspace/repo', subPath: 'src' },
      ],
    },
    new Map([
      ['work', '/tmp/k/work'],
      ['repo', '/tmp/k/claim'],
    ]),
    { '/app': '/home/me/project' },
  );

  it('maps values equal to or under a mount path, longest mount first', () => {
    expect(rewritePath('/workspace', mappings)).toBe('/tmp/k/work');
    expect(rewritePath('/workspace/a/b.txt', mappings)).toBe('/tmp/k/work/a/b.txt');
    expect(rewritePath('/workspace/repo/x', mappings)).toBe('/tmp/k/claim/src/x');
    expect(rewritePath('/app/apps/runner/src/main.ts', mappings)).toBe(
      '/home/me/project/apps/runner/src/main.ts',
    );
  });

  it('leaves other values alone (no partial-segment matches)', () => {
    expect(rewritePath('/workspaces', mappings)).toBe('/workspaces');
    expect(rewritePath('relative/workspace', mappings)).toBe('relative/workspace');
    expect(rewritePath('--dir=/workspace', mappings)).toBe('--dir=/workspace');
  });

  it('refuses mounts of undefined volumes', () => {
    expect(() =>
      pathMappingsFor(
        { name: 'main', volumeMounts: [{ name: 'nope', mountPath: '/x' }] },
        new Map(),
        {},
      ),
    ).toThrow(PodNotReadyError);
  });
});

describe('environment', () => {
  it('expands $(VAR) like Kubernetes, with $$ as an escape', () => {
    expect(expandReferences('$(A)/x $(MISSING) $$(A)', { A: 'a' })).toBe('a/x $(MISSING) $(A)');
  });

  it('resolves envFrom, values, secret and configmap keys and pod fields, in order', async () => {
    const pod: V1Pod = {
      metadata: { name: 'p1', namespace: 'ns1', labels: { team: 'blue' } },
      spec: { containers: [] },
    };
    const environment = await declaredEnvironment(
      pod,
      {
        name: 'main',
        envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CFG_' }],
        env: [
          { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'credentials', key: 'token' } } },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'TEAM', valueFrom: { fieldRef: { fieldPath: "metadata.labels['team']" } } },
          { name: 'URL', value: 'http://$(POD).$(NAMESPACE)/$(BASE)' },
          {
            name: 'OPTIONAL',
            valueFrom: { configMapKeyRef: { name: 'absent', key: 'k', optional: true } },
          },
        ],
      },
      { BASE: 'root' },
      lookups,
    );
    expect(environment).toEqual({
      CFG_MODE: 'fast',
      CFG_LEVEL: '2',
      TOKEN: 's3cret',
      POD: 'p1',
      NAMESPACE: 'ns1',
      TEAM: 'blue',
      URL: 'http://p1.ns1/root',
    });
  });

  it('makes the pod wait (CreateContainerConfigError) for a missing Secret key', async () => {
    const pod: V1Pod = { metadata: { name: 'p1', namespace: 'ns1' } };
    const container = {
      name: 'main',
      env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'credentials', key: 'other' } } }],
    };
    await expect(declaredEnvironment(pod, container, {}, lookups)).rejects.toMatchObject({
      reason: 'CreateContainerConfigError',
    });
  });
});
