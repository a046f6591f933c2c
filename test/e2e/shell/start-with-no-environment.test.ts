import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnService, tempDataDir } from '../../support/service';

// `npm start` with nothing configured: the embedded store is created, an admin token is printed once,
// /health is 200. (PORT=0 only so parallel CI runs never fight over 3000; the default is pinned in the config test.)
describe('npm start with no environment', () => {
  it('creates data/ml-connector.db, prints the admin token once and is healthy', async () => {
    const cwd = tempDataDir('mlc-start-');
    const service = await spawnService({ PORT: '0' }, { cwd, inheritEnv: false });
    try {
      const res = await fetch(`${service.url}/health`);
      expect(res.status).toBe(200);
      expect(existsSync(join(cwd, 'data', 'ml-connector.db'))).toBe(true);
      const banner = service.output.filter((line) => line.includes('admin token (shown once)'));
      expect(banner).toHaveLength(1);
    } finally {
      await service.kill();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
