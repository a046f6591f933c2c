import { createApiKey, revokeApiKey } from '../../../../src/domain/api-key/decide';
import type { ApiKeyEvent } from '../../../../src/domain/api-key/events';
import { fold } from '../../../../src/domain/api-key/state';
import { decider } from '../../../support/decider-spec';
import { roleAllows, scopeIncludes } from '../../../../src/domain/api-key/roles';

const NOW = new Date('2026-03-01T10:00:00Z');
const created: ApiKeyEvent = {
  type: 'ApiKeyCreated',
  data: {
    keyId: '0123456789abcdef',
    name: 'auditor',
    role: 'auditor',
    connections: ['A'],
    secretSha256: 'ab'.repeat(32),
    createdAt: '2026-03-01T09:00:00.000Z',
    createdBy: 'admin-token',
  },
};
const { given } = decider(fold);

describe('api key decider: given events → when command → then events', () => {
  it('create on a new stream → ApiKeyCreated carrying the hash, never a secret; duplicate connection ids dropped', () => {
    given()
      .when((s) =>
        createApiKey(
          s,
          {
            keyId: '0123456789abcdef',
            name: 'n',
            role: 'operator',
            connections: ['A', 'A', 'B'],
            secretSha256: 'cd'.repeat(32),
            createdBy: 'key:fedcba9876543210',
          },
          NOW,
        ),
      )
      .then({
        type: 'ApiKeyCreated',
        data: {
          keyId: '0123456789abcdef',
          name: 'n',
          role: 'operator',
          connections: ['A', 'B'],
          secretSha256: 'cd'.repeat(32),
          createdAt: NOW.toISOString(),
          createdBy: 'key:fedcba9876543210',
        },
      });
  });

  it('create on an existing key → key_exists', () => {
    given(created)
      .when((s) =>
        createApiKey(
          s,
          {
            keyId: '0123456789abcdef',
            name: 'n',
            role: 'admin',
            connections: '*',
            secretSha256: 'cd'.repeat(32),
            createdBy: 'admin-token',
          },
          NOW,
        ),
      )
      .thenError('key_exists');
  });

  it('revoke an active key → ApiKeyRevoked; the state is revoked', () => {
    const { state } = given(created)
      .when((s) => revokeApiKey(s, { revokedBy: 'admin-token' }, NOW))
      .then({
        type: 'ApiKeyRevoked',
        data: { keyId: '0123456789abcdef', revokedAt: NOW.toISOString(), revokedBy: 'admin-token' },
      });
    expect(state).toMatchObject({ status: 'revoked', revokedBy: 'admin-token' });
  });

  it('revoke twice → key_revoked; revoke a missing key → key_not_found', () => {
    const revoked: ApiKeyEvent = {
      type: 'ApiKeyRevoked',
      data: { keyId: '0123456789abcdef', revokedAt: NOW.toISOString(), revokedBy: 'admin-token' },
    };
    given(created, revoked)
      .when((s) => revokeApiKey(s, { revokedBy: 'admin-token' }, NOW))
      .thenError('key_revoked');
    given()
      .when((s) => revokeApiKey(s, { revokedBy: 'admin-token' }, NOW))
      .thenError('key_not_found');
  });

  it('roles nest auditor ⊂ operator ⊂ admin; a scope is "*" or a list', () => {
    expect([
      roleAllows('auditor', 'auditor'),
      roleAllows('auditor', 'operator'),
      roleAllows('operator', 'auditor'),
      roleAllows('operator', 'admin'),
      roleAllows('admin', 'operator'),
    ]).toEqual([true, false, true, false, true]);
    expect([scopeIncludes('*', 'X'), scopeIncludes(['A'], 'A'), scopeIncludes(['A'], 'B')]).toEqual([
      true,
      true,
      false,
    ]);
  });
});
