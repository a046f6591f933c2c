/** The discovery documents: the OpenID configuration and the list of endpoints (`GET /entity`). */
import * as seed from './seed';

/** `GET /identity/.well-known/openid-configuration`, its URLs rooted at the request's Host. */
export function openIdConfiguration(host: string | undefined): Record<string, unknown> {
  const root = `http://${host ?? 'localhost'}`;
  return {
    issuer: `${root}/identity`,
    token_endpoint: `${root}/identity/connect/token`,
    authorization_endpoint: `${root}/identity/connect/authorize`,
    grant_types_supported: ['authorization_code', 'implicit', 'password', 'refresh_token', 'hybrid'],
    scopes_supported: ['api', 'offline_access', 'api:concurrent_access', 'openid', 'profile', 'email', 'phone'],
  };
}

/** `GET /entity`: the offered Default versions beside two other endpoints, ordered by version. */
export function endpointList(versions: string[]): Record<string, unknown> {
  const endpoints = [
    ...versions.map((v) => ({ name: 'Default', version: v, href: `/entity/Default/${v}/` })),
    { name: 'eCommerce', version: '20.200.001', href: '/entity/eCommerce/20.200.001/' },
    { name: 'MANUFACTURING', version: '25.100.001', href: '/entity/MANUFACTURING/25.100.001/' },
  ].sort((a, b) => a.version.localeCompare(b.version));
  return {
    version: { acumaticaBuildVersion: seed.BUILD_VERSION, databaseVersion: seed.BUILD_VERSION },
    endpoints,
  };
}
