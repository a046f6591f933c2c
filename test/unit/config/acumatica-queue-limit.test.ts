import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/app-config';

describe('ACUMATICA_QUEUE_LIMIT_S', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mlc-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to 600 s (real Acumatica holds requests over the licence limit for up to ten minutes)', () => {
    expect(loadConfig({ MLC_DATA_DIR: dir }).acumaticaQueueLimitS).toBe(600);
    expect(loadConfig({ MLC_DATA_DIR: dir, ACUMATICA_QUEUE_LIMIT_S: '5' }).acumaticaQueueLimitS).toBe(5);
  });

  it.each([
    ['ten', /must be a whole number/],
    ['0', /must be between 1 and 86400/],
    ['90000', /must be between 1 and 86400/],
  ])('refuses %s, naming the variable', (value, message) => {
    let thrown: unknown;
    try {
      loadConfig({ MLC_DATA_DIR: dir, ACUMATICA_QUEUE_LIMIT_S: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe('ACUMATICA_QUEUE_LIMIT_S');
    expect((thrown as Error).message).toMatch(message);
  });
});
