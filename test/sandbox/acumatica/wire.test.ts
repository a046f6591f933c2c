import { JsonNum, JsonSyntaxError, parseJson, RawNumber, stringifyJson } from '../../../src/sandbox/acumatica/json';
import { parseInput } from '../../../src/sandbox/acumatica/entity-input';
import { acuDate } from '../../../src/sandbox/acumatica/render';
import { JournalSchema } from '../../../src/sandbox/acumatica/schema';

describe('exact JSON numbers', () => {
  it('keeps the decimal text of every number (no float rounding)', () => {
    const v = parseJson('{"a":{"value":12345678901234.57},"b":[0.1,1e2,-0.30],"c":"x","d":null,"e":true}') as Record<
      string,
      unknown
    >;
    expect((v.a as { value: JsonNum }).value).toEqual(new JsonNum('12345678901234.57'));
    expect((v.b as JsonNum[]).map((n) => n.text)).toEqual(['0.1', '1e2', '-0.30']);
    expect(v).toMatchObject({ c: 'x', d: null, e: true });
  });
  it('handles escapes in strings', () => {
    expect(parseJson('"a\\"b\\u00e9"')).toBe('a"bé');
  });
  it.each(['{', '{"a":}', '[1,]', '01', '{"a":1} x', "{'a':1}", ''])('rejects %s', (t) => {
    expect(() => parseJson(t)).toThrow(JsonSyntaxError);
  });
  it('writes RawNumber text verbatim', () => {
    expect(stringifyJson({ v: new RawNumber('24000.00'), u: undefined, s: 'q' })).toBe('{"v":24000.00,"s":"q"}');
  });
});

describe('strict value wrapping on input', () => {
  it('accepts { value } and {} and collects ModelState errors for bare values', () => {
    const ms: Record<string, string[]> = {};
    const input = parseInput(
      parseJson(
        '{"Description":{"value":"x"},"Hold":{},"Module":"GL","Details":[{"DebitAmount":{"value":1.50}},{"CreditAmount":2}]}',
      ),
      JournalSchema,
      ms,
    );
    expect(input.f).toEqual({ Description: 'x' });
    expect(input.details.Details[0].f.DebitAmount).toBe('1.50');
    expect(Object.keys(ms).sort()).toEqual(['entity.Details[1].CreditAmount', 'entity.Module']);
  });
  it('rejects values of the wrong type and ignores unknown members', () => {
    const ms: Record<string, string[]> = {};
    const input = parseInput(
      parseJson('{"Hold":{"value":"maybe"},"Unknown":{"value":1},"id":"abc"}'),
      JournalSchema,
      ms,
    );
    expect(Object.keys(ms)).toEqual(['entity.Hold']);
    expect(input.id).toBe('abc');
    expect(input.f).toEqual({});
  });
  it('prints dates as Acumatica does', () => {
    expect(acuDate('2025-01-31T00:00:00.000Z')).toBe('2025-01-31T00:00:00+00:00');
    expect(acuDate('2024-12-18T17:07:45.430Z')).toBe('2024-12-18T17:07:45.43+00:00');
  });
});
