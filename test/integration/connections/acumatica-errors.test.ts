import type { AxiosResponse } from 'axios';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toAcumaticaError } from '../../../src/adapters/outbound/acumatica/errors';
import { collectFieldErrors, str, wrap } from '../../../src/adapters/outbound/acumatica/values';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '../../fixtures/acumatica-sandbox', name), 'utf8'));
const response = (status: number, data: unknown, headers: Record<string, string> = {}) =>
  ({ status, data, headers }) as unknown as AxiosResponse;

describe("Acumatica errors carry Acumatica's own words", () => {
  it('collects every field error of a 422 entity echo, detail lines included, with their paths', () => {
    const error = toAcumaticaError(
      'creating journal gusto:x',
      response(422, fixture('error-422.journal-transaction.response.json')),
    );
    expect(error.kind).toBe('validation');
    expect(error.details).toContain("Details[1].Account: 'Account' cannot be found in the system.");
    expect(error.details.every((d) => /^[A-Za-z[\]0-9.]+: /.test(d))).toBe(true);
    expect(error.message).toContain("Inserting 'Batch' record raised at least one error");
    expect(error.retryable).toBe(false);
  });

  it('uses exceptionMessage of an HttpError and classifies 500s, 429s and the API login limit', () => {
    expect(
      toAcumaticaError('reading', response(500, fixture('error-500.not-found-by-key.response.json'))).message,
    ).toBe('reading: No entity satisfies the condition.');
    const deadlock = toAcumaticaError(
      'x',
      response(500, { message: 'An error has occurred.', exceptionMessage: 'Transaction was deadlocked' }),
    );
    expect([deadlock.kind, deadlock.retryable]).toEqual(['unavailable', true]);
    const period = toAcumaticaError(
      'x',
      response(500, { exceptionMessage: 'The 08-2026 financial period is closed.' }),
    );
    expect([period.kind, period.retryable]).toEqual(['validation', false]);
    const throttled = toAcumaticaError(
      'x',
      response(429, 'The custom error module does not recognize this error.', { 'retry-after': '3' }),
    );
    expect([throttled.kind, throttled.retryAfterMs]).toEqual(['rate_limited', 3000]);
    expect(toAcumaticaError('x', response(500, { exceptionMessage: 'API Login Limit reached.' })).kind).toBe(
      'login_limit',
    );
  });

  it('wraps and unwraps { value } fields, leaving absent fields absent', () => {
    expect(wrap({ A: 'x', B: undefined, C: false })).toEqual({ A: { value: 'x' }, C: { value: false } });
    expect([str({ value: 'x' }), str({}), str(undefined)]).toEqual(['x', undefined, undefined]);
    expect(collectFieldErrors({ error: 'top only' })).toEqual([]);
  });
});
