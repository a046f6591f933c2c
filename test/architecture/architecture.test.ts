import { resolve } from 'node:path';
import { checkRules, importsOf, scanTree } from './import-rules';

const ROOT = resolve(__dirname, '../..');

describe('architecture: hexagonal dependency rule', () => {
  it('holds for every file under src/', () => {
    expect(scanTree(ROOT)).toEqual([]);
  });

  // The rule must be able to fail: these are the imports it exists to stop.
  it.each([
    ['src/domain/journal/x.ts', "import { Injectable } from '@nestjs/common';", 'domain may not import package @nestjs/common'],
    ['src/domain/journal/x.ts', "import axios from 'axios';", 'domain may not import package axios'],
    ['src/domain/journal/x.ts', "import Database from 'better-sqlite3';", 'domain may not import package better-sqlite3'],
    ['src/domain/journal/x.ts', "import { EVENT_STORE } from '../../application/ports/event-store.port';", 'domain imports only domain'],
    ['src/domain/journal/x.ts', "import { x } from '../../adapters/outbound/gusto/client';", 'domain imports only domain'],
    ['src/application/payroll-posting/x.ts', "import { GustoClient } from '../../adapters/outbound/gusto/gusto-client';", 'application imports no adapter'],
    ['src/application/payroll-posting/x.ts', "import axios from 'axios';", 'application may not import axios'],
    ['src/adapters/outbound/gusto/x.ts', "import { startGustoSandbox } from '../../../sandbox/gusto';", 'the product never imports the sandboxes'],
  ])('rejects %s importing %s', (file, source, rule) => {
    const violations = checkRules(importsOf(ROOT, file, source));
    expect(violations.map((v) => v.rule)).toEqual([rule]);
  });

  it('allows what the layers may use', () => {
    const allowed = [
      ['src/domain/journal/x.ts', "import BigNumber from 'bignumber.js';\nimport { money } from '../money';"],
      ['src/application/payroll-posting/x.ts', "import { CommandHandler } from '@nestjs/cqrs';\nimport { buildJournal } from '../../domain/journal/build-journal';"],
      ['src/adapters/outbound/gusto/x.ts', "import axios from 'axios';\nimport { GUSTO } from '../../../application/ports/gusto.port';"],
    ];
    for (const [file, source] of allowed) expect(checkRules(importsOf(ROOT, file, source))).toEqual([]);
  });
});
