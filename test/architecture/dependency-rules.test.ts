import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The hexagonal rules of .dependency-cruiser.cjs, run by dependency-cruiser's `cruise` API
 * (test/architecture/cruise.mjs, in a child process: dependency-cruiser is an ES module).
 */
const ROOT = resolve(__dirname, '../..');

interface Violation {
  rule: string;
  from: string;
  to: string;
}

function cruise(baseDir: string, folders: string[]): { modules: number; violations: Violation[] } {
  const run = spawnSync(process.execPath, [join(ROOT, 'test/architecture/cruise.mjs'), baseDir, ...folders], {
    cwd: baseDir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`dependency-cruiser failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as { modules: number; violations: Violation[] };
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe('architecture: dependency-cruiser rules', () => {
  it('src/ has no violation', () => {
    const result = cruise(ROOT, ['src']);
    expect(result.modules).toBeGreaterThan(200);
    expect(result.violations).toEqual([]);
  });

  it('fails on each kind of forbidden import (a temporary fixture tree)', () => {
    // Inside the repository so packages resolve from node_modules, outside src/ so nothing else sees it.
    const fixture = mkdtempSync(join(ROOT, 'test/architecture/.fixture-'));
    try {
      writeTree(fixture, {
        'src/domain/pure.ts':
          "import BigNumber from 'bignumber.js';\nimport { IsString } from 'class-validator';\nexport const x = [BigNumber, IsString];\n",
        'src/domain/leaky.ts':
          "import axios from 'axios';\nimport { handler } from '../application/handler';\nexport const y = [axios, handler];\n",
        'src/application/handler.ts':
          "import { Injectable } from '@nestjs/common';\nimport express from 'express';\nimport { createServer } from 'node:http';\nimport { client } from '../adapters/client';\nimport { fake } from '../sandbox/fake';\nexport const handler = [Injectable, express, createServer, client, fake];\n",
        'src/adapters/client.ts': "import { fake } from '../sandbox/fake';\nexport const client = fake;\n",
        'src/sandbox/fake.ts': 'export const fake = 1;\n',
        'src/sandbox/uses-adapter.ts': "import { client } from '../adapters/client';\nexport const z = client;\n",
      });
      const found = cruise(fixture, ['src']).violations.map(
        (v) => `${v.rule}: ${v.from} -> ${v.to.replace(/^.*node_modules\/([^/]+)\/.*$/, '$1')}`,
      );
      expect(found.sort()).toEqual(
        [
          'application-imports-no-adapter: src/application/handler.ts -> src/adapters/client.ts',
          'application-imports-no-adapter: src/application/handler.ts -> src/sandbox/fake.ts',
          'application-imports-no-http-or-driver: src/application/handler.ts -> express',
          'application-imports-no-http-or-driver: src/application/handler.ts -> http',
          'domain-imports-only-domain: src/domain/leaky.ts -> axios',
          'domain-imports-only-domain: src/domain/leaky.ts -> src/application/handler.ts',
          'product-imports-no-sandbox: src/adapters/client.ts -> src/sandbox/fake.ts',
          'product-imports-no-sandbox: src/application/handler.ts -> src/sandbox/fake.ts',
        ].sort(),
      );
    } finally {
      rmSync(fixture, { recursive: true, force: true });
    }
  });

  // Imported names are beyond dependency-cruiser (it sees modules): @nestjs/common may be used for
  // @Injectable/@Inject, but its HTTP exceptions and status enum belong to the adapters.
  it('src/application takes no HTTP exception or status from @nestjs/common', () => {
    const filesUnder = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) =>
        statSync(join(dir, name)).isDirectory()
          ? filesUnder(join(dir, name))
          : name.endsWith('.ts')
            ? [join(dir, name)]
            : [],
      );
    const httpNames = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@nestjs\/common'/g;
    const offending = filesUnder(join(ROOT, 'src/application')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(httpNames)]
        .flatMap((m) => m[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, '')))
        .filter((name) => /^(Http\w*|\w+Exception)$/.test(name))
        .map((name) => `${file.slice(ROOT.length + 1)}: ${name}`),
    );
    expect(offending).toEqual([]);
  });
});
