import {
  acceptMapping,
  awaitConfirmation,
  checkAuthorizationState,
  completeGustoAuthorization,
  confirmGustoAuthorization,
  create,
  failGustoAuthorization,
  loseGustoAuthorization,
  startGustoAuthorization,
} from '../../../../src/domain/connection/decide';
import type { AcumaticaSettings, ConnectionEvent } from '../../../../src/domain/connection/events';
import { fold } from '../../../../src/domain/connection/state';
import { decider } from '../../../support/decider-spec';

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

const { given } = decider((events: ConnectionEvent[]) => fold(events));

describe('Connection decider', () => {
  it('creates a connection once', () => {
    given()
      .when((s) => create(s, { connectionId: 'c1', name: 'Acme', acumatica }, at))
      .then(created);
    given(created)
      .when((s) => create(s, { connectionId: 'c1', name: 'Acme', acumatica }, at))
      .thenError('connection_exists');
  });

  it('starts an authorization only for an existing connection', () => {
    given()
      .when((s) => startGustoAuthorization(s, 'h1', later(600_000), at))
      .thenError('connection_not_found');
    given(created)
      .when((s) => startGustoAuthorization(s, 'h1', later(600_000), at))
      .then(started);
  });

  it('completes an authorization with a pending, unexpired state and binds the company it named', () => {
    const { state } = given(created, startedFor)
      .when((s) => completeGustoAuthorization(s, { stateHash: 'h1', companyUuid: 'co-1' }, later(1000)))
      .then({
        type: 'GustoAuthorized',
        data: { companyUuid: 'co-1', stateHash: 'h1', authorizedAt: later(1000).toISOString() },
      });
    expect(state.exists && state.gusto).toEqual({ status: 'connected', companyUuid: 'co-1', pending: {} });
  });

  it('never completes for another company than the one named, nor for an unnamed one without confirmation', () => {
    given(created, startedFor)
      .when((s) => completeGustoAuthorization(s, { stateHash: 'h1', companyUuid: 'co-2' }, later(1)))
      .thenError('gusto_company_mismatch');
    given(created, started)
      .when((s) => completeGustoAuthorization(s, { stateHash: 'h1', companyUuid: 'co-1' }, later(1)))
      .thenError('gusto_company_mismatch');
  });

  it('holds a code for an unnamed company until the key that started it confirms that company', () => {
    const tokens = {
      accessToken: { keyId: 'k1', sealed: 'a' },
      refreshToken: { keyId: 'k1', sealed: 'r' },
      tokenExpiresAt: later(7_200_000).toISOString(),
    };
    const byKey: ConnectionEvent = { ...started, data: { ...started.data, startedBy: 'key:k7', startedByName: 'ops' } };
    const held: ConnectionEvent = {
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
    };
    const { state } = given(created, byKey)
      .when((s) =>
        awaitConfirmation(
          s,
          { stateHash: 'h1', companyUuid: 'co-2', companyName: 'Other', ...tokens, confirmUntil: later(600_000) },
          later(10),
        ),
      )
      .then(held);
    expect(state.exists && state.gusto.status).toBe('not_connected');
    expect(checkAuthorizationState(state, 'h1', later(20))).toMatchObject({ error: 'authorization_state_unknown' }); // the state is spent
    const history = [created, byKey, held];
    given(...history)
      .when((s) => confirmGustoAuthorization(s, { companyUuid: 'co-2', by: 'key:other' }, later(20)))
      .thenError('authorization_started_by_another');
    given(...history)
      .when((s) => confirmGustoAuthorization(s, { companyUuid: 'co-1', by: 'key:k7' }, later(20)))
      .thenError('authorization_not_found');
    given(...history)
      .when((s) => confirmGustoAuthorization(s, { companyUuid: 'co-2', by: 'key:k7' }, later(600_010)))
      .thenError('authorization_not_found');
    const confirmed = given(...history)
      .when((s) => confirmGustoAuthorization(s, { companyUuid: 'co-2', by: 'key:k7' }, later(20)))
      .then({
        type: 'GustoAuthorized',
        data: { companyUuid: 'co-2', stateHash: 'h1', authorizedAt: later(20).toISOString() },
      });
    expect(confirmed.state).toMatchObject({ gusto: { status: 'connected', companyUuid: 'co-2', pending: {} } });
    expect((confirmed.state as { gusto: object }).gusto).not.toHaveProperty('awaiting');
  });

  it('refuses a used state (single use), an unknown one and an expired one', () => {
    given(created, started, authorized)
      .when((s) => completeGustoAuthorization(s, { stateHash: 'h1', companyUuid: 'co-1' }, later(1000)))
      .thenError('authorization_state_unknown');
    expect(checkAuthorizationState(given(created, started).state, 'other', later(1000))).toMatchObject({
      error: 'authorization_state_unknown',
    });
    expect(checkAuthorizationState(given(created, started).state, 'h1', later(600_000))).toMatchObject({
      error: 'authorization_state_expired',
    });
  });

  it('refuses a Gusto company already bound to another connection, without naming it', () => {
    const refused = given(created, startedFor)
      .when((s) =>
        completeGustoAuthorization(s, { stateHash: 'h1', companyUuid: 'co-1', companyBoundTo: 'c2' }, later(1)),
      )
      .thenError('company_already_connected');
    expect(refused.message).not.toContain('c2'); // another tenant's connection is never named
  });

  it('lets the same connection re-authorize its company but not switch to another one', () => {
    const restart: ConnectionEvent = { ...started, data: { ...started.data, stateHash: 'h2' } };
    const history = [created, started, authorized, restart];
    given(...history)
      .when((s) =>
        completeGustoAuthorization(s, { stateHash: 'h2', companyUuid: 'co-1', companyBoundTo: 'c1' }, later(1)),
      )
      .thenTypes('GustoAuthorized');
    given(...history)
      .when((s) => completeGustoAuthorization(s, { stateHash: 'h2', companyUuid: 'co-2' }, later(1)))
      .thenError('gusto_company_mismatch');
  });

  it('records a lost authorization once and shows needs_reauthorization', () => {
    const lost: ConnectionEvent = {
      type: 'GustoAuthorizationLost',
      data: { companyUuid: 'co-1', reason: 'invalid_grant', detail: 'invalid_grant', lostAt: later(5).toISOString() },
    };
    const { state } = given(created, started, authorized)
      .when((s) => loseGustoAuthorization(s, 'co-1', 'invalid_grant', later(5)))
      .then(lost);
    expect(state.exists && state.gusto.status).toBe('needs_reauthorization');
    given(created, started, authorized, lost)
      .when((s) => loseGustoAuthorization(s, 'co-1', 'again', later(6)))
      .then();
  });

  it('bumps the mapping version on every accepted document', () => {
    const first: ConnectionEvent = {
      type: 'MappingAccepted',
      data: { document: { a: 1 }, version: 1, acceptedAt: at.toISOString() },
    };
    given(created)
      .when((s) => acceptMapping(s, { a: 1 }, at))
      .then(first);
    const { state } = given(created, first)
      .when((s) => acceptMapping(s, { a: 2 }, at))
      .then({ type: 'MappingAccepted', data: { document: { a: 2 }, version: 2, acceptedAt: at.toISOString() } });
    expect(state.exists && state.mapping).toMatchObject({ document: { a: 2 }, version: 2 });
  });

  it('spends a state whose authorization failed, and records nothing for an unknown one', () => {
    const failed: ConnectionEvent = {
      type: 'GustoAuthorizationFailed',
      data: { stateHash: 'h1', reason: 'code exchange: invalid_grant', failedAt: later(1).toISOString() },
    };
    const { state } = given(created, started)
      .when((s) => failGustoAuthorization(s, 'h1', 'code exchange: invalid_grant', later(1)))
      .then(failed);
    expect(checkAuthorizationState(state, 'h1', later(2))).toMatchObject({ error: 'authorization_state_unknown' });
    given(created, started, failed)
      .when((s) => failGustoAuthorization(s, 'h1', 'again', later(3)))
      .then();
  });

  it('drops expired pending states when a new authorization starts', () => {
    const next: ConnectionEvent = {
      type: 'GustoAuthorizationStarted',
      data: { stateHash: 'h2', expiresAt: later(1_300_000).toISOString(), startedAt: later(700_000).toISOString() },
    };
    const { state } = given(created, started, next);
    expect(state.exists && Object.keys(state.gusto.pending)).toEqual(['h2']);
  });
});
