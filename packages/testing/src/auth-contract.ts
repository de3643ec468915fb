/**
 * The contract every Authenticator + Authorizer pair keeps (embedded: local tokens and grants;
 * cluster: Kubernetes tokens, RoleBindings and SubjectAccessReviews). The harness prepares users,
 * groups and grants the way its mode does; the suite checks what the API server relies on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Permission, ProjectRole } from '@ambient/contracts';
import type { Identity } from '@ambient/core';

export interface AuthPorts {
  authenticate(token: string): Promise<Identity | undefined>;
  roleIn(identity: Identity, project: string): Promise<ProjectRole | undefined>;
}

export interface AuthHarness {
  ports: AuthPorts;
  /** A project (namespace) that exists; grants can be made in it. */
  createProject(name: string): Promise<void>;
  grant(project: string, permission: Permission): Promise<void>;
  /** Bearer tokens of three users: `alice` (group `team-red`), `bob` (no groups), `carol` (group `team-blue`). */
  tokens: { alice: string; bob: string; carol: string };
  cleanup(): Promise<void>;
}

export function describeAuthContract(name: string, makeHarness: () => Promise<AuthHarness>): void {
  describe(`${name}: authentication and authorisation contract`, () => {
    let harness: AuthHarness;
    const project = `auth-contract-${Math.random().toString(36).slice(2, 8)}`;
    const other = `${project}-other`;

    beforeAll(async () => {
      harness = await makeHarness();
      await harness.createProject(project);
      await harness.createProject(other);
      await harness.grant(project, { subjectType: 'user', subjectName: 'alice', role: 'view' });
      await harness.grant(project, { subjectType: 'group', subjectName: 'team-red', role: 'edit' });
      await harness.grant(project, { subjectType: 'group', subjectName: 'team-blue', role: 'view' });
      await harness.grant(other, { subjectType: 'user', subjectName: 'bob', role: 'admin' });
    }, 120_000);

    afterAll(async () => harness?.cleanup());

    it('knows who holds a valid token, with their groups', async () => {
      const alice = await harness.ports.authenticate(harness.tokens.alice);
      expect(alice?.userId).toBe('alice');
      expect(alice?.groups).toContain('team-red');
    });

    it('refuses a token it did not issue', async () => {
      expect(await harness.ports.authenticate('not-a-real-token-0123456789')).toBeUndefined();
      expect(await harness.ports.authenticate(`${harness.tokens.bob}x`)).toBeUndefined();
    });

    it('gives the strongest of direct and group roles', async () => {
      const alice = (await harness.ports.authenticate(harness.tokens.alice))!;
      expect(await harness.ports.roleIn(alice, project)).toBe('edit');
      const carol = (await harness.ports.authenticate(harness.tokens.carol))!;
      expect(await harness.ports.roleIn(carol, project)).toBe('view');
    });

    it('gives no role where nothing was granted, and keeps projects apart', async () => {
      const bob = (await harness.ports.authenticate(harness.tokens.bob))!;
      expect(await harness.ports.roleIn(bob, project)).toBeUndefined();
      expect(await harness.ports.roleIn(bob, other)).toBe('admin');
      const alice = (await harness.ports.authenticate(harness.tokens.alice))!;
      expect(await harness.ports.roleIn(alice, other)).toBeUndefined();
    });
  });
}
