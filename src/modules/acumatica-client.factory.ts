/**
 * How the service builds its Acumatica client: one axios instance that never follows a redirect, caps answers
 * and checks every socket's address at connect time, the retry policy, and the licence pacer.
 */
import axios from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AppConfig } from '../config/app-config';
import type { AcumaticaSettingsReader } from '../application/connections/acumatica-settings.reader';
import type { LicenceCoordinator } from '../application/licence/licence-coordinator';
import type { MetricsRegistry } from '../application/metrics/metrics.port';
import { AcumaticaApiClient } from '../adapters/outbound/acumatica/acumatica-api.client';
import { AcumaticaHttp } from '../adapters/outbound/acumatica/acumatica-http';
import { LicencePacer } from '../adapters/outbound/acumatica/licence-pacer';
import type { DnsOutboundUrlPolicy } from '../adapters/outbound/network/outbound-url-policy';
import { countOutboundCalls } from '../adapters/outbound/outbound-metrics';

/**
 * How long a write (a journal create) may wait for the licence before it fails retryably, unsent: half the
 * posting saga's default 60 s create claim, so a create never goes out after its claim has lapsed.
 */
export const ACUMATICA_MAX_WRITE_WAIT_MS = 30_000;

export function createAcumaticaClient(
  settings: AcumaticaSettingsReader,
  config: AppConfig,
  shares: LicenceCoordinator,
  metrics: MetricsRegistry,
  policy: DnsOutboundUrlPolicy,
): AcumaticaApiClient {
  // Acumatica queues requests up to 10 min. Never a redirect (a 30x could send credentials elsewhere),
  // answers capped at 10 MiB, and every socket's address checked again at connect time (no DNS rebinding).
  const { guardedLookup } = policy;
  const http = axios.create({
    timeout: 600_000,
    validateStatus: () => true,
    maxRedirects: 0,
    maxContentLength: 10 * 1024 * 1024,
    maxBodyLength: 10 * 1024 * 1024,
    httpAgent: new HttpAgent({ keepAlive: true, lookup: guardedLookup }),
    httpsAgent: new HttpsAgent({ keepAlive: true, lookup: guardedLookup }),
  });
  countOutboundCalls(http, metrics, 'acumatica');
  const retry = {
    maxAttempts: 6,
    backoffBaseMs: Math.min(config.retry.baseMs, 1000),
    backoffCapMs: Math.min(config.retry.capMs, 60_000),
  };
  const pacer = new LicencePacer(shares, ACUMATICA_MAX_WRITE_WAIT_MS);
  return new AcumaticaApiClient(http, new AcumaticaHttp(http, pacer, retry), settings, {
    releasePollMs: Math.min(config.retry.baseMs, 1000),
    releaseTimeoutMs: 10 * 60_000,
  });
}
