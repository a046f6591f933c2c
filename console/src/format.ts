/** Display helpers: dates and times in the reader's locale, money as the decimal strings the API sends. */

export const dateTime = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
};

/** Money strings are shown as sent (never parsed into floats), with thousands separators. */
export const money = (amount: string | undefined): string => {
  if (amount === undefined || amount === '') return '';
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(amount);
  if (!match) return amount;
  return `${match[1]}${match[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${match[3] ?? ''}`;
};

export const shortId = (uuid: string): string => (uuid.length > 13 ? `${uuid.slice(0, 8)}…` : uuid);

export const STATUS_WORDS: Record<string, string> = {
  pending: 'Pending',
  posted: 'Posted',
  failed: 'Failed (will retry)',
  needs_attention: 'Needs attention',
  cancelled: 'Cancelled',
};

export const GUSTO_WORDS: Record<string, string> = {
  not_connected: 'Not connected',
  connected: 'Connected',
  needs_reauthorization: 'Needs reauthorization',
};
