import { describeAuthContract } from '@ambient/testing';
import type { AuthHarness } from '@ambient/testing';
import { openDatabase, SqliteIdentityStore, SqlitePermissionStore } from '@ambient/runtime-local';
import { createEmbeddedAuthenticator, createEmbeddedAuthorizer } from './embedded.ts';

describeAuthContract('embedded (SQLite users, tokens and grants)', async (): Promise<AuthHarness> => {
  const database = openDatabase(':memory:');
  const identities = new SqliteIdentityStore(database);
  const permissions = new SqlitePermissionStore(database);
  const tokens = { alice: '', bob: '', carol: '' };
  for (const [name, groups] of [['alice', ['team-red']], ['bob', []], ['carol', ['team-blue']]] as const) {
    await identities.createUser({ name, groups: [...groups] });
    tokens[name] = (await identities.issueToken({ subject: { kind: 'user', userName: name }, name: 'contract' })).token;
  }
  const authenticator = createEmbeddedAuthenticator({ adminToken: 'contract-admin-token-0000', identities });
  const authorizer = createEmbeddedAuthorizer(permissions);
  return {
    ports: { authenticate: (token) => authenticator.authenticate(token), roleIn: (identity, project) => authorizer.roleIn(identity, project) },
    createProject: async () => undefined,
    grant: async (project, permission) => {
      await permissions.grant(project, permission);
    },
    tokens,
    cleanup: async () => {
      database.close();
    },
  };
});
