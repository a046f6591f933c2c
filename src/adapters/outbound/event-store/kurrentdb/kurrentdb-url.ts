/** Connection-string helpers: scheme detection, the deprecated esdb scheme, and credential-free descriptions. */

const SCHEME = /^(esdb|kurrentdb|kurrent|kdb)(\+discover)?:\/\//i;

export function isKurrentDbUrl(url: string): boolean {
  return SCHEME.test(url);
}

/**
 * The client accepts `esdb://` but prints a deprecation warning on every connect; the protocols are the
 * same, so speak `kurrentdb://` to it.
 */
export function toClientConnectionString(url: string): string {
  return url.replace(
    /^esdb(\+discover)?:\/\//i,
    (_match, discover: string | undefined) => `kurrentdb${discover ?? ''}://`,
  );
}

/** `scheme://host:port[,host:port…]`: no user, no password, no query (which may carry tokens or file paths). */
export function describeUrl(url: string): string {
  const match = /^([^:]+):\/\/(?:[^@/?]*@)?([^/?#]*)/.exec(url);
  return match ? `${match[1].toLowerCase()}://${match[2]}` : redactUrl(url);
}

/** For error messages about a malformed URL: hide anything that looks like userinfo. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/?]*@/, '//***@').replace(/([?&](?:password|token|secret)[^=]*=)[^&]*/gi, '$1***');
}
