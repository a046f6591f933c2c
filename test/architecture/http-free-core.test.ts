import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * The domain speaks accounting and the application speaks outcomes: neither names an HTTP route or compares
 * an HTTP status (adapters map outcomes to statuses). Comments may mention them; code and stored messages may not.
 */
const ROOT = resolve(__dirname, '../..');
const ROUTE = /\b(GET|PUT|POST|DELETE|PATCH) \/[a-z]/;
const STATUS_COMPARISON = /\.(status|statusCode)\s*[!=]==?\s*\d{3}\b|\b(status|statusCode)\s*:\s*\d{3}\s*\|/;

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });

/** The code without its comments (block and line), so documentation can still explain the HTTP side. */
const codeOf = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

export function violationsIn(files: Array<{ file: string; text: string }>): string[] {
  return files.flatMap(({ file, text }) =>
    codeOf(text)
      .split('\n')
      .flatMap((line) =>
        ROUTE.test(line)
          ? [`${file}: route in code: ${line.trim()}`]
          : STATUS_COMPARISON.test(line)
            ? [`${file}: HTTP status in code: ${line.trim()}`]
            : [],
      ),
  );
}

describe('architecture: no HTTP in the core', () => {
  it('src/domain and src/application name no route and compare no HTTP status', () => {
    const files = ['src/domain', 'src/application']
      .flatMap((dir) => filesUnder(join(ROOT, dir)))
      .map((path) => ({ file: relative(ROOT, path), text: readFileSync(path, 'utf8') }));
    expect(files.length).toBeGreaterThan(50);
    expect(violationsIn(files)).toEqual([]);
  });

  it.each([
    ["message: 'Save one (PUT /api/connections/:id/mapping), then replay.'", 'route in code'],
    ['if (error.status === 403) return;', 'HTTP status in code'],
    ['export interface R { status: 200 | 400; }', 'HTTP status in code'],
  ])('fails on %s', (line, what) => {
    expect(violationsIn([{ file: 'src/application/x.ts', text: line }])).toEqual([expect.stringContaining(what)]);
  });

  it('lets comments explain the HTTP side', () => {
    expect(
      violationsIn([
        {
          file: 'src/application/x.ts',
          text: '/** POST /api/postings/:id/replay answers 202 */\n// a 401 (status === 401) means …\nconst x = 1;',
        },
      ]),
    ).toEqual([]);
  });
});
