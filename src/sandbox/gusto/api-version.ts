/**
 * X-Gusto-API-Version (reference §1.1): absent → the app's default version; malformed, unknown, in the
 * future (against the sandbox clock), older than the app's default, or past its sunset → 406
 * `invalid_api_version`. The effective version is echoed in the response header.
 */

/** Known versions and their sunset dates (reference §1.1 status table). */
export const API_VERSIONS: ReadonlyArray<{ version: string; sunset: string | null }> = [
  ...[
    '2022-09-15',
    '2022-11-01',
    '2022-12-07',
    '2023-02-01',
    '2023-03-01',
    '2023-04-01',
    '2023-05-01',
    '2023-06-01',
    '2023-07-01',
    '2023-09-01',
    '2023-12-01',
    '2024-03-01',
    '2024-04-01',
  ].map((version) => ({ version, sunset: '2026-06-15' })),
  { version: '2025-06-15', sunset: '2026-11-17' },
  { version: '2025-11-15', sunset: '2027-02-01' },
  { version: '2026-02-01', sunset: '2027-06-15' },
  { version: '2026-06-15', sunset: null },
];

export type VersionCheck = { ok: true; version: string } | { ok: false; message: string };

export const checkApiVersion = (header: string | undefined, defaultVersion: string, today: string): VersionCheck => {
  const requested = header?.trim();
  if (requested === undefined || requested === '') return { ok: true, version: defaultVersion };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(requested)) {
    return { ok: false, message: `Invalid API Version \`${requested}\`. Expected format: YYYY-MM-DD` };
  }
  const known = API_VERSIONS.find((v) => v.version === requested);
  if (!known) return { ok: false, message: `Invalid API Version \`${requested}\`. Unknown version` };
  if (requested > today)
    return { ok: false, message: `Invalid API Version \`${requested}\`. Version is in the future` };
  if (requested < defaultVersion)
    return {
      ok: false,
      message: `Invalid API Version \`${requested}\`. Older than the application's minimum version ${defaultVersion}`,
    };
  if (known.sunset !== null && known.sunset <= today)
    return { ok: false, message: `Invalid API Version \`${requested}\`. Version was sunset on ${known.sunset}` };
  return { ok: true, version: requested };
};
