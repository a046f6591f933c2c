import { JsonLogger } from '../../../src/adapters/logging/json-logger';

describe('JSON logger', () => {
  it('writes one JSON object per line with level, context and fields', () => {
    const lines: string[] = [];
    new JsonLogger('info', (l) => lines.push(l))
      .child('posting')
      .info('journal created', { batchNbr: '000123', amount: '10.00' });
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({
      level: 'info',
      context: 'posting',
      msg: 'journal created',
      batchNbr: '000123',
      amount: '10.00',
    });
    expect(typeof line.time).toBe('string');
  });

  it('redacts secrets by key name and by registered value, even inside messages and URLs', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('debug', (l) => lines.push(l), ['admin-token-value-123']);
    logger.registerSecret('hunter2-password');
    logger.write('info', 'calling https://user:pw@host/x with admin-token-value-123', {
      password: 'hunter2-password',
      nested: { client_secret: 'abc', refreshToken: 'r-1', note: 'the password is hunter2-password' },
      headers: { Authorization: 'Bearer eyJhbGciOi.abc.def' },
    });
    const text = lines.join('\n');
    expect(text).not.toMatch(/hunter2-password|admin-token-value-123|eyJhbGciOi|r-1"|:pw@/);
    expect(text).toContain('[redacted]');
  });

  it('redacts by pino redact paths at depth, in arrays and hyphenated headers, and keeps flags and errors readable', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('info', (l) => lines.push(l));
    const fields = {
      a: { b: { c: { clientSecret: 'deep-secret-1' } } },
      params: [{ accessToken: 'array-token-2' }],
      headers: { 'x-gusto-signature': 'sig-3abcdef', cookie: 'sid=cookie-4' },
      tokenExpired: true,
      error: new TypeError('it broke'),
    };
    logger.child('t').warn('careful', fields);
    const line = JSON.parse(lines[0]);
    expect(lines[0]).not.toMatch(/deep-secret-1|array-token-2|sig-3abcdef|cookie-4/);
    expect(line).toMatchObject({
      level: 'warn',
      context: 't',
      msg: 'careful',
      tokenExpired: true,
      headers: { 'x-gusto-signature': '[redacted]' },
    });
    expect(line.error).toMatchObject({ name: 'TypeError', message: 'it broke' });
    // The caller's object is left as it was.
    expect(fields.a.b.c.clientSecret).toBe('deep-secret-1');
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('warn', (l) => lines.push(l));
    logger.write('info', 'quiet');
    logger.write('error', 'loud');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['loud']);
  });
});
