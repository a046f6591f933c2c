#!/usr/bin/env node
/**
 * `npm run build`, second step: builds the web console (console/, React + Vite) into dist/console, which
 * the service serves at /console. Only when the console's sources are there (console/vite.config.mts), so
 * the build stays green on a checkout without them. Plain JavaScript: runs before and without tsc output.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const config = join(root, 'console', 'vite.config.mts');
if (!existsSync(config)) {
  process.stdout.write('console: no console/vite.config.mts, nothing to build\n');
  process.exit(0);
}
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const result = spawnSync(process.execPath, [vite, 'build', '--config', config], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
