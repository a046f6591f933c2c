import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDataDir } from '../../support/service';

const MAIN = join(__dirname, '../../../dist/src/main.js');

/** A production start refuses to run without the webhook signing key (it is never learnt from a request). */
describe('production start', () => {
  it('exits 78 naming GUSTO_WEBHOOK_VERIFICATION_TOKEN when it is missing', () => {
    const cwd = tempDataDir('mlc-prod-');
    try {
      const env = {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: '0',
        EVENT_STORE_URL: `sqlite:${join(cwd, 'events.db')}`,
        MLC_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        MLC_ADMIN_TOKEN: 'production-admin-token-0123456789',
      };
      const run = spawnSync(process.execPath, [MAIN], { cwd, env, encoding: 'utf8', timeout: 30_000 });
      expect(run.status).toBe(78);
      expect(`${run.stdout}${run.stderr}`).toContain('GUSTO_WEBHOOK_VERIFICATION_TOKEN');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
