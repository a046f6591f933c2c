import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One import found in a source file. */
export interface ImportEdge {
  file: string; // relative to the repo root, with forward slashes
  specifier: string;
  /** Resolved repo-relative path for relative imports; the package name otherwise. */
  target: string;
}

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(root: string, file: string, source: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const match of source.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (!specifier) continue;
    const target = specifier.startsWith('.')
      ? relative(root, resolve(root, dirname(file), specifier)).split('\\').join('/')
      : specifier.startsWith('node:') ? specifier : specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
    edges.push({ file, specifier, target });
  }
  return edges;
}

/** Packages the pure domain may use: exact decimals and the mapping document's validation. */
const DOMAIN_PACKAGES = new Set(['bignumber.js', 'class-validator', 'class-transformer', 'node:crypto']);
/** Adapter-only packages: HTTP clients, drivers, servers. The application layer talks to them through ports. */
const ADAPTER_PACKAGES = /^(axios|better-sqlite3|@kurrent\/.*|@eventstore\/.*|express|node:http|node:https|node:net)$/;

export function checkRules(edges: ImportEdge[]): Violation[] {
  const violations: Violation[] = [];
  for (const edge of edges) {
    const { file, specifier, target } = edge;
    const relativeImport = specifier.startsWith('.');
    if (file.startsWith('src/domain/')) {
      if (relativeImport && !target.startsWith('src/domain/')) violations.push({ file, specifier, rule: 'domain imports only domain' });
      if (!relativeImport && !DOMAIN_PACKAGES.has(target)) violations.push({ file, specifier, rule: `domain may not import package ${target}` });
    }
    if (file.startsWith('src/application/')) {
      if (relativeImport && /^src\/(adapters|modules|sandbox)\//.test(target)) violations.push({ file, specifier, rule: 'application imports no adapter' });
      if (!relativeImport && ADAPTER_PACKAGES.test(target)) violations.push({ file, specifier, rule: `application may not import ${target}` });
    }
    if (!file.startsWith('src/sandbox/') && relativeImport && target.startsWith('src/sandbox/') && !file.startsWith('src/demo')) {
      violations.push({ file, specifier, rule: 'the product never imports the sandboxes' });
    }
  }
  return violations;
}

export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...sourceFiles(root, path));
    else if (/\.ts$/.test(name) && !/\.d\.ts$/.test(name)) out.push(path.split('\\').join('/'));
  }
  return out;
}

export function scanTree(root: string): Violation[] {
  const edges = sourceFiles(root, 'src').flatMap((file) => importsOf(root, file, readFileSync(join(root, file), 'utf8')));
  return checkRules(edges);
}
