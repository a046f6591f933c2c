import {
  foldCredentials,
  issueTokens,
  planToken,
  type GustoCredentialsEvent,
} from '../../../../src/domain/connection/gusto-credentials';

const s = (v: string) => ({ keyId: 'k1', sealed: v });
const now = new Date('2026-11-26T10:00:00.000Z');
const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
const issued = (expiresInMs: number): GustoCredentialsEvent => ({
  type: 'GustoTokensIssued',
  data: {
    connectionId: 'c1',
    companyUuid: 'co-1',
    accessToken: s('a1'),
    refreshToken: s('r1'),
    expiresAt: iso(expiresInMs),
    issuedAt: iso(0),
  },
});

describe('Gusto credentials (token rotation)', () => {
  it('uses a token that is fresh beyond the refresh margin', () => {
    expect(planToken(foldCredentials([issued(7_200_000)]), now, 60_000)).toMatchObject({
      action: 'use',
      tokens: { generation: 1 },
    });
  });

  it('refreshes ahead of expiry', () => {
    expect(planToken(foldCredentials([issued(30_000)]), now, 60_000)).toEqual({ action: 'refresh' });
  });

  it('waits while another worker holds an unexpired lease, and refreshes once it has expired', () => {
    const leased = foldCredentials([
      issued(0),
      { type: 'RefreshLeaseTaken', data: { holder: 'p2', until: iso(10_000), takenAt: iso(0) } },
    ]);
    expect(planToken(leased, now, 60_000)).toEqual({ action: 'wait', until: iso(10_000) });
    expect(planToken(leased, new Date(now.getTime() + 10_001), 60_000)).toEqual({ action: 'refresh' });
  });

  it("uses the winner's rotated tokens", () => {
    const rotated = foldCredentials([
      issued(0),
      { type: 'RefreshLeaseTaken', data: { holder: 'p2', until: iso(10_000), takenAt: iso(0) } },
      {
        type: 'TokensRotated',
        data: {
          holder: 'p2',
          accessToken: s('a2'),
          refreshToken: s('r2'),
          expiresAt: iso(7_200_000),
          rotatedAt: iso(1),
        },
      },
    ]);
    expect(planToken(rotated, now, 60_000)).toMatchObject({
      action: 'use',
      tokens: { accessToken: s('a2'), generation: 2 },
    });
  });

  it('refreshes a token rejected with 401 only if nobody rotated it since', () => {
    const state = foldCredentials([issued(7_200_000)]);
    expect(planToken(state, now, 60_000, 1)).toEqual({ action: 'refresh' });
    expect(planToken(state, now, 60_000, 0)).toMatchObject({ action: 'use' });
  });

  it('fails without a network call once the refresh token was rejected, until re-issued', () => {
    const rejected: GustoCredentialsEvent[] = [
      issued(0),
      { type: 'RefreshTokenRejected', data: { holder: 'p1', error: 'invalid_grant', rejectedAt: iso(0) } },
    ];
    expect(planToken(foldCredentials(rejected), now, 60_000)).toEqual({
      action: 'fail',
      reason: 'needs_reauthorization',
    });
    expect(planToken(foldCredentials([...rejected, issued(7_200_000)]), now, 60_000)).toMatchObject({ action: 'use' });
    expect(planToken(foldCredentials([]), now, 60_000)).toEqual({ action: 'fail', reason: 'not_connected' });
  });

  it('binds a company to one connection', () => {
    const state = foldCredentials([issued(0)]);
    const other = {
      ...(issued(0) as Extract<GustoCredentialsEvent, { type: 'GustoTokensIssued' }>).data,
      connectionId: 'c2',
    };
    expect(issueTokens(state, other)).toEqual({ error: 'company_already_connected', boundTo: 'c1' });
    expect(issueTokens(state, { ...other, connectionId: 'c1' })).toEqual({
      events: [{ type: 'GustoTokensIssued', data: { ...other, connectionId: 'c1' } }],
    });
  });
});
