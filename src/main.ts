import 'reflect-metadata';
import { config as loadDotEnv } from 'dotenv';
import { ConfigError, loadConfig, secretsOf } from './config/app-config';
import { JsonLogger } from './adapters/logging/json-logger';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  loadDotEnv({ quiet: true });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ml-connector cannot start: ${error.message}\n`);
      process.exit(78); // EX_CONFIG: a supervisor should not restart-loop on this
    }
    throw error;
  }
  const logger = new JsonLogger(config.logLevel, undefined, secretsOf(config));
  config.warnings.forEach((warning) => logger.write('warn', warning, {}, 'config'));
  const app = await createApp(config, { logger });
  // HOST binds one interface (e.g. 127.0.0.1 behind a proxy on the same machine); unset: every interface.
  await (config.http.host ? app.listen(config.port, config.http.host) : app.listen(config.port));
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.write(
    'info',
    'ml-connector listening',
    {
      port,
      ...(config.http.host ? { host: config.http.host } : {}),
      eventStore: config.eventStoreUrl.replace(/\/\/[^@/]*@/, '//***@'),
      docs: config.http.docs ? '/docs' : 'off (production without MLC_DOCS=1)',
    },
    'main',
  );
  if (config.adminTokenGenerated) {
    // Printed once, outside the JSON log, so it never lands in log storage by accident.
    process.stderr.write(
      `\nMLC_ADMIN_TOKEN was not set; this run's admin token (shown once):\n\n  ${config.adminToken}\n\nUse it as "Authorization: Bearer <token>" for /api. Set MLC_ADMIN_TOKEN to keep one across restarts.\n\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `ml-connector failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
