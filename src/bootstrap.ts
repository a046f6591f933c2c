import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, raw, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { MAX_JSON_DEPTH, exceedsDepth } from './application/inbox/json-guard';
import { AppModule } from './app.module';
import { secretsOf, type AppConfig } from './config/app-config';
import type { CoreOverrides } from './core.module';
import { JsonLogger, stdoutSink, type LogSink } from './adapters/logging/json-logger';
import { HttpExceptionFilter } from './adapters/inbound/http/http-exception.filter';
import { apiValidationPipe } from './adapters/inbound/http/validation.pipe';
import { applyServerTimeouts, bodyDeadline } from './adapters/inbound/http/edge/body-deadline';

/** Webhook bodies over this are refused with 413 (interface spec). */
export const BODY_LIMIT = '1mb';

export interface CreateAppOptions extends CoreOverrides {
  logSink?: LogSink;
}

/** Builds the whole service (used by main.ts, the demo and the e2e tests). Call `listen` on the result. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const logger = options.logger ?? new JsonLogger(config.logLevel, options.logSink ?? stdoutSink, secretsOf(config));
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, logger, { ...options, logger }),
    {
      logger,
      rawBody: true, // the webhook signature is checked over the exact bytes received
      bodyParser: false,
      abortOnError: false,
    },
  );
  // Security headers on every answer (HSTS, nosniff, frame and referrer policies, a CSP that still lets the
  // OpenAPI page at /docs run its inline start-up script and styles).
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", "'unsafe-inline'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          frameAncestors: ["'none'"],
        },
      },
    }),
  );
  // Answers about connections, postings and the audit trail are never kept by a browser or a proxy.
  app.use(['/api', '/oauth'], (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Slow clients: headers and whole requests are time-limited, and a body must arrive within its deadline.
  applyServerTimeouts(app.getHttpServer(), config.http);
  app.use(bodyDeadline(config.http.bodyTimeoutMs));
  // Webhooks stay raw bytes whatever their content type: the signature is checked before any parsing,
  // so a bad signature on a malformed body is a 401, not a 400.
  app.use(
    '/webhooks',
    raw({
      limit: BODY_LIMIT,
      type: () => true,
      verify: (req, _res, buf) => {
        (req as Request & { rawBody?: Buffer }).rawBody = buf;
      },
    }),
  );
  // express.json directly: Nest's useBodyParser would replace `verify` with its raw-body hook.
  app.use(
    json({
      limit: BODY_LIMIT,
      // JSON.parse recurses: a body nested deeper than any API body is refused before it is parsed (400).
      verify: (_req: unknown, _res: unknown, buf: Buffer) => {
        if (exceedsDepth(buf))
          throw Object.assign(new Error(`request body is JSON nested deeper than ${MAX_JSON_DEPTH} levels`), {
            status: 400,
            type: 'entity.too.deep',
          });
      },
    }),
  );
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.useGlobalFilters(new HttpExceptionFilter(logger));
  app.useGlobalPipes(apiValidationPipe());
  app.enableShutdownHooks();
  app.disable('x-powered-by');

  const openApi = new DocumentBuilder()
    .setTitle('ml-connector')
    .setDescription(
      'Gusto payroll → Acumatica general ledger. Admin endpoints under /api need `Authorization: Bearer $MLC_ADMIN_TOKEN`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addCookieAuth('mlc_session') // the console's session (POST /api/session); changes also need X-CSRF-Token
    .build();
  // The API's map is not published in production unless asked for (MLC_DOCS=1).
  if (config.http.docs) SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi));
  return app;
}
