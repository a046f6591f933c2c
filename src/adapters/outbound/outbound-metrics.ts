import type { AxiosInstance } from 'axios';
import { CONNECTOR_METRICS, type MetricsRegistry } from '../../application/metrics/metrics.port';

/**
 * Counts every answer (and every call that got none) of an outside API in `mlc_outbound_calls_total{api,status}`:
 * `status` is the HTTP status, or `error` for a call that failed before an answer (timeout, reset, refused).
 * Label values stay bounded: two APIs, the statuses HTTP has, and `error`.
 */
export function countOutboundCalls(
  http: AxiosInstance,
  metrics: MetricsRegistry,
  api: 'gusto' | 'acumatica',
): AxiosInstance {
  const calls = metrics.counter(CONNECTOR_METRICS.outboundCalls);
  http.interceptors.response.use(
    (response) => {
      calls.inc({ api, status: String(response.status) });
      return response;
    },
    (error: unknown) => {
      const status = (error as { response?: { status?: number } })?.response?.status;
      calls.inc({ api, status: typeof status === 'number' ? String(status) : 'error' });
      return Promise.reject(error);
    },
  );
  return http;
}
