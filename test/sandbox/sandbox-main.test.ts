import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

// `npm run sandbox` = node dist/src/sandbox/main.js (npm test builds dist first). Ports 0 here so CI
// runs never collide with a developer's 4010/4020; the defaults are printed by the same code path.
describe('npm run sandbox', () => {
  it('starts both sandboxes, prints how to drive them, answers, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [resolve(__dirname, '../../dist/src/sandbox/main.js')], {
      env: { ...process.env, GUSTO_SANDBOX_PORT: '0', ACUMATICA_SANDBOX_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const deadline = Date.now() + 15_000;
      while (!/Stop with Ctrl-C/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const gusto = /Gusto sandbox\s+(http:\/\/\S+)/.exec(output)?.[1];
      const acumatica = /Acumatica sandbox\s+(http:\/\/\S+)/.exec(output)?.[1];
      expect(gusto).toBeDefined();
      expect(acumatica).toBeDefined();
      expect(output).toContain('curl');

      const company = await fetch(`${gusto}/sandbox/companies`, {
        method: 'POST',
        body: JSON.stringify({ name: 'Lone Star Widgets' }),
      });
      expect(company.status).toBe(201);
      const versions = (await (await fetch(`${acumatica}/entity`)).json()) as {
        endpoints: Array<{ name: string; version: string }>;
      };
      expect(versions.endpoints.some((e) => e.name === 'Default' && e.version === '24.200.001')).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
