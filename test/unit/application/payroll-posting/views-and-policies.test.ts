import { classifyFailure, reasonsFromBuild } from '../../../../src/application/payroll-posting/block-reasons';
import { backoffMs } from '../../../../src/application/shared/backoff';
import { decidedEventId as eventId } from '../../../../src/application/shared/decided-events';
import { toView } from '../../../../src/application/payroll-posting/projections/posting-view';
import { AcumaticaApiError } from '../../../../src/application/ports/acumatica.port';
import { GustoApiError } from '../../../../src/application/ports/gusto.port';
import { fold } from '../../../../src/domain/payroll-posting/state';
import { parsePostingId, postingId, type PayrollPostingEvent } from '../../../../src/domain/payroll-posting/events';

const settings = { baseMs: 2000, capMs: 900_000, maxAttempts: 10 };

describe('retry policy', () => {
  it('doubles from the base, with jitter never below half the step, capped', () => {
    expect(backoffMs(1, settings, () => 0)).toBe(1000);
    expect(backoffMs(1, settings, () => 1)).toBe(2000);
    expect(backoffMs(4, settings, () => 1)).toBe(16000);
    expect(backoffMs(30, settings, () => 1)).toBe(900_000);
  });

  it('honours Retry-After as a floor', () => {
    expect(backoffMs(1, settings, () => 0, 30_000)).toBe(30_000);
    expect(backoffMs(1, settings, () => 1, 10)).toBe(2000);
  });
});

describe('failure classification', () => {
  it('retries throttling, outages and timeouts, keeping Retry-After', () => {
    expect(classifyFailure(new AcumaticaApiError('rate_limited', '429', 429, 3000))).toMatchObject({
      retryable: true,
      retryAfterMs: 3000,
      errorKind: 'rate_limited',
    });
    expect(classifyFailure(new GustoApiError('unavailable', '503'))).toMatchObject({ retryable: true });
    expect(classifyFailure(new Error('boom'))).toMatchObject({ retryable: true, errorKind: 'unexpected' });
  });

  it('names what a person must fix', () => {
    const code = (e: unknown) => classifyFailure(e).reason?.code;
    expect(code(new AcumaticaApiError('unauthorized', 'no'))).toBe('bad_credentials');
    expect(code(new AcumaticaApiError('validation', 'Error: The 03-2027 financial period is closed.', 422))).toBe(
      'closed_period',
    );
    expect(
      code(
        new AcumaticaApiError('validation', 'Inserting failed', 422, undefined, [
          "Details[0].Account: Account '69000' is inactive.",
        ]),
      ),
    ).toBe('inactive_account');
    expect(code(new AcumaticaApiError('endpoint_version_not_available', 'x', 404, undefined, [], ['23.200.001']))).toBe(
      'endpoint_version',
    );
    expect(code(new GustoApiError('needs_reauthorization', 'invalid_grant'))).toBe('gusto_reauthorization_needed');
    expect(code(new GustoApiError('not_found', 'no payroll'))).toBe('payroll_not_found');
  });

  it('summarises build errors: unmapped keys named, totals mismatches in one reason', () => {
    const reasons = reasonsFromBuild([
      { code: 'unmapped_component', missingKeys: ['netPay:Net pay or netPay'], message: 'x' },
      {
        code: 'totals_mismatch',
        total: 'totals.gross_pay',
        gusto: '10.00',
        computed: '9.00',
        difference: '1.00',
        message: 'm',
      },
    ]);
    expect(reasons.map((r) => r.code)).toEqual(['totals_mismatch', 'unmapped_component']);
    expect(reasons[1]!.keys).toEqual(['netPay:Net pay or netPay']);
    expect(reasons[0]!.message).toContain('Gusto 10.00, lines 9.00');
  });
});

describe('posting ids and event ids', () => {
  it('round-trips the posting id, whatever dashes the connection id has', () => {
    expect(parsePostingId(postingId('a-b-c', '1234-5678'))).toEqual({
      connectionId: 'a-b-c',
      payrollUuid: '1234-5678',
    });
    expect(parsePostingId('nocolon')).toBeNull();
  });

  it('derives the same event id for the same decision at the same place, another for anything else', () => {
    const e: PayrollPostingEvent = { type: 'JournalCreated', data: { batchNbr: '1', status: 'Balanced' } };
    expect(eventId('s', 3n, e)).toBe(eventId('s', 3n, e));
    expect(eventId('s', 3n, e)).not.toBe(eventId('s', 4n, e));
    expect(eventId('s', 3n, e)).not.toBe(eventId('s', 3n, { ...e, data: { batchNbr: '2', status: 'Balanced' } }));
    expect(eventId('s', 3n, e)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('posting view', () => {
  const times = { createdAt: '2026-01-23T10:00:00Z', updatedAt: '2026-01-23T10:00:01Z', events: 2 };
  const requested: PayrollPostingEvent = {
    type: 'PostingRequested',
    data: { connectionId: 'c', payrollUuid: 'p', trigger: 'webhook' },
  };

  it('explains a retrying posting in plain words and keeps the raw error as details', () => {
    const failed: PayrollPostingEvent = {
      type: 'AttemptFailed',
      data: {
        step: 'fetch_payroll',
        attempt: 1,
        retryable: true,
        nextAttemptAt: '2026-01-23T10:00:05Z',
        error: 'HTTP 503',
        errorKind: 'unavailable',
      },
    };
    const view = toView('c:p', fold([requested, failed]), times);
    expect(view).toMatchObject({
      id: 'c:p',
      status: 'failed',
      attempts: 2,
      journal: null,
      acumatica: {},
      nextAttemptAt: '2026-01-23T10:00:05Z',
    });
    expect(view.lastError).toEqual({
      code: 'unavailable',
      step: 'fetch_payroll',
      message:
        'Gusto could not be reached while reading the payroll. Nothing was posted twice; the connector tries again at 2026-01-23T10:00:05Z.',
      details: ['HTTP 503'],
    });
  });

  it('lists every blocking reason when the posting needs attention', () => {
    const blocked: PayrollPostingEvent = {
      type: 'PostingBlocked',
      data: {
        step: 'build_journal',
        reasons: [
          { code: 'no_mapping', message: 'No mapping.' },
          { code: 'totals_mismatch', message: 'Totals differ.' },
        ],
      },
    };
    const view = toView('c:p', fold([requested, blocked]), times);
    expect(view.status).toBe('needs_attention');
    expect(view.lastError).toMatchObject({ code: 'no_mapping', message: 'No mapping. Totals differ.' });
    expect(view.lastError!.reasons).toHaveLength(2);
  });
});
