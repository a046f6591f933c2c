/** What the webhook keyring (`webhook-keyring.ts`) answers its callers. */
import type { NotAdoptedReason } from './webhook-key-history';

/** What a handshake POST leads to (the answer to Gusto is 200 whatever it is: a stranger learns nothing). */
export type VerificationOutcome = 'already_known' | 'awaiting_confirmation' | NotAdoptedReason;
export type OpenWindowResult = { ok: true; until: string } | { ok: false; error: 'configured_token_in_use' };
export type KeySource = 'configured' | 'adopted' | 'none';
export interface KeyringStatus {
  source: KeySource;
  fingerprint?: string;
  handshakeWindowOpenUntil?: string;
}
