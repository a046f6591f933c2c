/**
 * The hexagonal dependency rules, checked by dependency-cruiser (test/architecture/dependency-rules.test.ts
 * runs `cruise` over src/ and expects no violation). Paths are relative to the repository root.
 */
const NPM = (names) => `node_modules/(${names.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment:
        'The domain is pure: it imports only itself, exact decimals and the mapping document validation (class-validator with its class-transformer).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', NPM(['bignumber\\.js', 'class-validator', 'class-transformer'])] },
    },
    {
      name: 'application-imports-no-adapter',
      comment: 'The application talks to the outside through ports: no adapter, no Nest module wiring, no sandbox.',
      severity: 'error',
      from: { path: '^src/application/' },
      to: { path: '^src/(adapters|modules|sandbox)/' },
    },
    {
      name: 'application-imports-no-http-or-driver',
      comment:
        'No HTTP framework types (express, @nestjs/platform-express, the HTTP exceptions and status enum of @nestjs/common) and no driver or HTTP client in the application: adapters map outcomes to HTTP.',
      severity: 'error',
      from: { path: '^src/application/' },
      to: {
        path: [
          NPM([
            'express',
            '@nestjs/platform-express',
            'axios',
            'better-sqlite3',
            '@kurrent',
            '@eventstore',
            'prom-client',
            'pino',
            'nestjs-pino',
            'pino-http',
          ]),
          'node_modules/@nestjs/common/(exceptions|enums/http-status)',
          '^(http|https|net|http2)$',
        ],
      },
    },
    {
      name: 'product-imports-no-sandbox',
      comment: 'The simulators serve the tests and the demo; the product never imports them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/sandbox/' },
      to: { path: '^src/sandbox/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.d\\.ts$' },
  },
};
