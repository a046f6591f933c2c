import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/app-config';

describe('configuration from the environment', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mlc-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const base = () => ({ MLC_DATA_DIR: dir });

  it('has the documented defaults', () => {
    const config = loadConfig(base());
    expect(config.port).toBe(3000);
    expect(config.eventStoreUrl).toBe('sqlite:data/ml-connector.db');
    expect(config.gusto.apiBaseUrl).toBe('https://api.gusto-demo.com');
    expect(config.gusto.apiVersion).toBe('2026-06-15');
    expect(config.gusto.redirectUri).toBe('http://localhost:3000/oauth/gusto/callback');
    expect(config.pollCron).toBe('*/15 * * * *');
    expect(config.adminTokenGenerated).toBe(true);
    expect(config.adminToken.length).toBeGreaterThanOrEqual(24);
  });

  it('generates the encryption key once into the data folder outside production, with a warning', () => {
    const first = loadConfig(base());
    expect(first.warnings.join()).toMatch(/MLC_ENCRYPTION_KEY is not set/);
    expect(existsSync(join(dir, 'encryption.key'))).toBe(true);
    const second = loadConfig(base());
    expect(second.encryptionKey.equals(first.encryptionKey)).toBe(true);
    expect(second.warnings).toEqual([]);
    expect(readFileSync(join(dir, 'encryption.key'), 'utf8').trim()).toBe(first.encryptionKey.toString('base64'));
  });

  it.each([
    ['PORT', 'abc', /PORT: must be a whole number/],
    ['PORT', '70000', /PORT: must be between 0 and 65535/],
    ['EVENT_STORE_URL', 'postgres://x', /EVENT_STORE_URL: must be sqlite:<path> or an esdb/],
    ['MLC_ENCRYPTION_KEY', 'c2hvcnQ=', /MLC_ENCRYPTION_KEY: must be 32 bytes/],
    ['MLC_ADMIN_TOKEN', 'short', /MLC_ADMIN_TOKEN: must be at least 16 characters/],
    ['GUSTO_API_BASE_URL', 'ftp://gusto', /GUSTO_API_BASE_URL: must be an http\(s\) URL/],
    ['GUSTO_REDIRECT_URI', 'not a url', /GUSTO_REDIRECT_URI: must be an http\(s\) URL/],
    ['GUSTO_API_VERSION', 'latest', /GUSTO_API_VERSION: must be a date/],
    ['POLL_CRON', 'every minute', /POLL_CRON: is not a valid cron expression/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: must be one of/],
    ['RETRY_BASE_MS', '-5', /RETRY_BASE_MS: must be a whole number/],
  ])('refuses %s=%s naming the variable', (name, value, message) => {
    let thrown: unknown;
    try {
      loadConfig({ ...base(), [name]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(name);
    expect((thrown as Error).message).toMatch(message);
  });

  it('requires the key and the admin token in production', () => {
    expect(() => loadConfig({ ...base(), NODE_ENV: 'production' })).toThrow(
      /MLC_ENCRYPTION_KEY: is required when NODE_ENV=production/,
    );
    expect(() =>
      loadConfig({ ...base(), NODE_ENV: 'production', MLC_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') }),
    ).toThrow(/MLC_ADMIN_TOKEN: is required/);
    const keyAndToken = {
      MLC_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      MLC_ADMIN_TOKEN: 'production-admin-token-0123456789',
    };
    expect(() => loadConfig({ ...base(), NODE_ENV: 'production', ...keyAndToken })).toThrow(
      /GUSTO_WEBHOOK_VERIFICATION_TOKEN: is required when NODE_ENV=production/,
    );
    expect(
      loadConfig({
        ...base(),
        NODE_ENV: 'production',
        ...keyAndToken,
        GUSTO_WEBHOOK_VERIFICATION_TOKEN: 'whsec-0123456789',
      }).gusto.webhookVerificationToken,
    ).toBe('whsec-0123456789');
  });

  it('takes previous keys for rotation and derives the redirect URI from PORT', () => {
    const old = Buffer.alloc(32, 9).toString('base64');
    const config = loadConfig({
      ...base(),
      PORT: '8080',
      MLC_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      MLC_ENCRYPTION_KEYS_PREVIOUS: old,
    });
    expect(config.previousEncryptionKeys).toHaveLength(1);
    expect(config.previousEncryptionKeys[0].id).not.toBe(config.encryptionKeyId);
    expect(config.gusto.redirectUri).toBe('http://localhost:8080/oauth/gusto/callback');
  });
});
