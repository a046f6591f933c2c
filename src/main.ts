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
  await app.listen(config.port);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.write('info', 'ml-connector listening', { port, eventStore: config.eventStoreUrl.replace(/\/\/[^@/]*@/, '//***@'), docs: `/docs` }, 'main');
  if (config.adminTokenGenerated) {
    // Printed once, outside the JSON log, so it never lands in log storage by accident.
    process.stderr.write(
      `\nMLC_ADMIN_TOKEN was not set; this run's admin token (shown once):\n\n  ${config.adminToken}\n\nUse it as "Authorization: Bearer <token>" for /api. Set MLC_ADMIN_TOKEN to keep one across restarts.\n\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ml-connector failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
