// Runs dependency-cruiser's `cruise` API with .dependency-cruiser.cjs over the given folders and prints the
// violations as JSON. A separate process because dependency-cruiser is an ES module and Jest runs CommonJS.
// Usage: node test/architecture/cruise.mjs <baseDir> <folder>...
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { cruise } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..');
const [baseDir = ROOT, ...folders] = process.argv.slice(2);
const config = require(resolve(ROOT, '.dependency-cruiser.cjs'));

const result = await cruise(folders.length ? folders : ['src'], {
  ...config.options,
  validate: true,
  ruleSet: { forbidden: config.forbidden },
  baseDir,
  tsConfig: { fileName: resolve(ROOT, 'tsconfig.json') },
  outputType: 'json',
});
const output = typeof result.output === 'string' ? JSON.parse(result.output) : result.output;
const violations = output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
process.stdout.write(JSON.stringify({ modules: output.summary.totalCruised, violations }) + '\n');
