import { consolePath, withOutcome } from '../../../../src/adapters/inbound/http/console/return-to';

describe('returnTo: only same-origin paths inside the console', () => {
  it('accepts console paths, with query and hash, as the URL parser leaves them', () => {
    expect(consolePath('/console')).toBe('/console');
    expect(consolePath('/console/')).toBe('/console/');
    expect(consolePath('/console/#/connections')).toBe('/console/#/connections');
    expect(consolePath('/console/connections/abc?tab=gusto')).toBe('/console/connections/abc?tab=gusto');
    expect(consolePath('/console/a/./b')).toBe('/console/a/b');
  });

  it('refuses everything else', () => {
    for (const bad of [
      undefined,
      42,
      '',
      'console/',
      '/consolex',
      '/api/keys',
      'https://evil.example/console/',
      '//evil.example/console',
      '/console/../api',
      '/console/%2e%2e/api',
      '/console%2f..%2fapi',
      '/console\\..\\api',
      '/console/\tx',
      '/console/\u007f',
      `/console/${'a'.repeat(600)}`,
    ]) {
      expect([bad, consolePath(bad)]).toEqual([bad, undefined]);
    }
  });

  it('adds the outcome to the query, before the hash the app routes by', () => {
    expect(withOutcome('/console/#/connections', { gusto: 'connected' })).toBe(
      '/console/?gusto=connected#/connections',
    );
    expect(withOutcome('/console/x?tab=1', { gusto: 'failed', error: 'authorization_state_expired' })).toBe(
      '/console/x?tab=1&gusto=failed&error=authorization_state_expired',
    );
  });
});
