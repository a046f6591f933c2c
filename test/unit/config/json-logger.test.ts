import { JsonLogger } from '../../../src/adapters/logging/json-logger';

describe('JSON logger', () => {
  it('writes one JSON object per line with level, context and fields', () => {
    const lines: string[] = [];
    new JsonLogger('info', (l) => lines.push(l)).child('posting').info('journal created', { batchNbr: '000123', amount: '10.00' });
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ level: 'info', context: 'posting', msg: 'journal created', batchNbr: '000123', amount: '10.00' });
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

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('warn', (l) => lines.push(l));
    logger.write('info', 'quiet');
    logger.write('error', 'loud');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['loud']);
  });
});
