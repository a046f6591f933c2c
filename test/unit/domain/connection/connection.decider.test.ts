import {
  acceptMapping,
  awaitConfirmation,
  checkAuthorizationState,
  completeGustoAuthorization,
  confirmGustoAuthorization,
  create,
  failGustoAuthorization,
  isRefusal,
  loseGustoAuthorization,
  startGustoAuthorization,
} from '../../../../src/domain/connection/decide';
import type { AcumaticaSettings, ConnectionEvent } from '../../../../src/domain/connection/events';
import { fold, type Connection } from '../../../../src/domain/connection/state';

const at = new Date('2026-11-26T10:00:00.000Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const acumatica: AcumaticaSettings = {
  baseUrl: 'https://erp.example.com',
  tenant: 'Acme',
  endpointName: 'Default',
  endpointVersion: '24.200.001',
  auth: { kind: 'cookie', username: 'api', password: { keyId: 'k1', sealed: 'xxx' } },
};
const created: ConnectionEvent = {
  type: 'ConnectionCreated',
  data: { connectionId: 'c1', name: 'Acme', acumatica, createdAt: at.toISOString() },
};
const started: ConnectionEvent = {
  type: 'GustoAuthorizationStarted',
  data: { stateHash: 'h1', expiresAt: later(600_000).toISOString(), startedAt: at.toISOString() },
};
const startedFor: ConnectionEvent = {
  ...started,
  data: { ...started.data, expectedCompanyUuid: 'co-1' },
} as ConnectionEvent;
const authorized: ConnectionEvent = {
  type: 'GustoAuthorized',
  data: { companyUuid: 'co-1', stateHash: 'h1', authorizedAt: at.toISOString() },
};

const given = (...events: ConnectionEvent[]): Connection => fold(events);

describe('Connection decider', () => {
  it('creates a connection once', () => {
    expect(create(given(), { connectionId: 'c1', name: 'Acme', acumatica }, at)).toEqual([created]);
    expect(create(given(created), { connectionId: 'c1', name: 'Acme', acumatica }, at)).toMatchObject({
      error: 'connection_exists',
    });
  });

  it('starts an authorization only for an existing connection', () => {
    expect(startGustoAuthorization(given(), 'h1', later(600_000), at)).toMatchObject({ error: 'connection_not_found' });
    expect(startGustoAuthorization(given(created), 'h1', later(600_000), at)).toEqual([started]);
  });

  it('completes an authorization with a pending, unexpired state and binds the company it named', () => {
    const decision = completeGustoAuthorization(
      given(created, startedFor),
      { stateHash: 'h1', companyUuid: 'co-1' },
      later(1000),
    );
    expect(decision).toEqual([
      {
        type: 'GustoAuthorized',
        data: { companyUuid: 'co-1', stateHash: 'h1', authorizedAt: later(1000).toISOString() },
      },
    ]);
    const state = fold(decision as ConnectionEvent[], given(created, startedFor));
    expect(state.exists && state.gusto).toEqual({ status: 'connected', companyUuid: 'co-1', pending: {} });
  });

  it('never completes for another company than the one named, nor for an unnamed one without confirmation', () => {
    expect(
      completeGustoAuthorization(given(created, startedFor), { stateHash: 'h1', companyUuid: 'co-2' }, later(1)),
    ).toMatchObject({ error: 'gusto_company_mismatch' });
    expect(
      completeGustoAuthorization(given(created, started), { stateHash: 'h1', companyUuid: 'co-1' }, later(1)),
    ).toMatchObject({ error: 'gusto_company_mismatch' });
  });

  it('holds a code for an unnamed company until the key that started it confirms that company', () => {
    const tokens = {
      accessToken: { keyId: 'k1', sealed: 'a' },
      refreshToken: { keyId: 'k1', sealed: 'r' },
      tokenExpiresAt: later(7_200_000).toISOString(),
    };
    const byKey: ConnectionEvent = { ...started, data: { ...started.data, startedBy: 'key:k7', startedByName: 'ops' } };
    const held = awaitConfirmation(
      given(created, byKey),
      { stateHash: 'h1', companyUuid: 'co-2', companyName: 'Other', ...tokens, confirmUntil: later(600_000) },
      later(10),
    ) as ConnectionEvent[];
    expect(held).toEqual([
      {
        type: 'GustoAuthorizationAwaitingConfirmation',
        data: {
          stateHash: 'h1',
          companyUuid: 'co-2',
          companyName: 'Other',
          ...tokens,
          confirmBy: 'key:k7',
          confirmUntil: later(600_000).toISOString(),
          receivedAt: later(10).toISOString(),
        },
      },
    ]);
    const state = given(created, byKey, ...held);
    expect(state.exists && state.gusto.status).toBe('not_connected');
    expect(checkAuthorizationState(state, 'h1', later(20))).toMatchObject({ error: 'authorization_state_unknown' }); // the state is spent
    expect(confirmGustoAuthorization(state, { companyUuid: 'co-2', by: 'key:other' }, later(20))).toMatchObject({
      error: 'authorization_started_by_another',
    });
    expect(confirmGustoAuthorization(state, { companyUuid: 'co-1', by: 'key:k7' }, later(20))).toMatchObject({
      error: 'authorization_not_found',
    });
    expect(confirmGustoAuthorization(state, { companyUuid: 'co-2', by: 'key:k7' }, later(600_010))).toMatchObject({
      error: 'authorization_not_found',
    });
    const confirmed = confirmGustoAuthorization(
      state,
      { companyUuid: 'co-2', by: 'key:k7' },
      later(20),
    ) as ConnectionEvent[];
    expect(confirmed).toEqual([
      {
        type: 'GustoAuthorized',
        data: { companyUuid: 'co-2', stateHash: 'h1', authorizedAt: later(20).toISOString() },
      },
    ]);
    expect(fold(confirmed, state)).toMatchObject({ gusto: { status: 'connected', companyUuid: 'co-2', pending: {} } });
    expect((fold(confirmed, state) as { gusto: object }).gusto).not.toHaveProperty('awaiting');
  });

  it('refuses a used state (single use), an unknown one and an expired one', () => {
    expect(
      completeGustoAuthorization(
        given(created, started, authorized),
        { stateHash: 'h1', companyUuid: 'co-1' },
        later(1000),
      ),
    ).toMatchObject({
      error: 'authorization_state_unknown',
    });
    expect(checkAuthorizationState(given(created, started), 'other', later(1000))).toMatchObject({
      error: 'authorization_state_unknown',
    });
    expect(checkAuthorizationState(given(created, started), 'h1', later(600_000))).toMatchObject({
      error: 'authorization_state_expired',
    });
  });

  it('refuses a Gusto company already bound to another connection, without naming it', () => {
    const decision = completeGustoAuthorization(
      given(created, startedFor),
      { stateHash: 'h1', companyUuid: 'co-1', companyBoundTo: 'c2' },
      later(1),
    );
    expect(isRefusal(decision) && decision).toMatchObject({ error: 'company_already_connected' });
    expect(isRefusal(decision) && decision.message).not.toContain('c2'); // another tenant's connection is never named
  });

  it('lets the same connection re-authorize its company but not switch to another one', () => {
    const restart: ConnectionEvent = { ...started, data: { ...started.data, stateHash: 'h2' } };
    const state = given(created, started, authorized, restart);
    expect(
      completeGustoAuthorization(state, { stateHash: 'h2', companyUuid: 'co-1', companyBoundTo: 'c1' }, later(1)),
    ).toHaveLength(1);
    expect(completeGustoAuthorization(state, { stateHash: 'h2', companyUuid: 'co-2' }, later(1))).toMatchObject({
      error: 'gusto_company_mismatch',
    });
  });

  it('records a lost authorization once and shows needs_reauthorization', () => {
    const lost = loseGustoAuthorization(given(created, started, authorized), 'co-1', 'invalid_grant', later(5));
    expect(lost).toEqual([
      {
        type: 'GustoAuthorizationLost',
        data: { companyUuid: 'co-1', reason: 'invalid_grant', detail: 'invalid_grant', lostAt: later(5).toISOString() },
      },
    ]);
    const state = given(created, started, authorized, ...(lost as ConnectionEvent[]));
    expect(state.exists && state.gusto.status).toBe('needs_reauthorization');
    expect(loseGustoAuthorization(state, 'co-1', 'again', later(6))).toEqual([]);
  });

  it('bumps the mapping version on every accepted document', () => {
    const first = acceptMapping(given(created), { a: 1 }, at) as ConnectionEvent[];
    expect(first).toEqual([
      { type: 'MappingAccepted', data: { document: { a: 1 }, version: 1, acceptedAt: at.toISOString() } },
    ]);
    const second = acceptMapping(given(created, ...first), { a: 2 }, at) as ConnectionEvent[];
    expect(second[0]).toMatchObject({ data: { version: 2 } });
    const state = given(created, ...first, ...second);
    expect(state.exists && state.mapping).toMatchObject({ document: { a: 2 }, version: 2 });
  });

  it('spends a state whose authorization failed, and records nothing for an unknown one', () => {
    const failed = failGustoAuthorization(
      given(created, started),
      'h1',
      'code exchange: invalid_grant',
      later(1),
    ) as ConnectionEvent[];
    expect(failed).toEqual([
      {
        type: 'GustoAuthorizationFailed',
        data: { stateHash: 'h1', reason: 'code exchange: invalid_grant', failedAt: later(1).toISOString() },
      },
    ]);
    expect(checkAuthorizationState(given(created, started, ...failed), 'h1', later(2))).toMatchObject({
      error: 'authorization_state_unknown',
    });
    expect(failGustoAuthorization(given(created, started, ...failed), 'h1', 'again', later(3))).toEqual([]);
  });

  it('drops expired pending states when a new authorization starts', () => {
    const next: ConnectionEvent = {
      type: 'GustoAuthorizationStarted',
      data: { stateHash: 'h2', expiresAt: later(1_300_000).toISOString(), startedAt: later(700_000).toISOString() },
    };
    const state = given(created, started, next);
    expect(state.exists && Object.keys(state.gusto.pending)).toEqual(['h2']);
  });
});
