/**
 * Connecting Gusto from the console: the browser goes to the service's authorize route (which sends it to
 * Gusto's consent page, PKCE and state kept by the service) and comes back to the console with the outcome
 * in the query. Naming the Gusto company at the start binds only that company; without it the service shows
 * the company Gusto granted and nothing is bound until the same key confirms it here.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { messageOf } from '../hooks';
import type { Connection } from '../types';
import { Notice } from './Notice';

const PENDING = 'mlc.console.gustoPending';
const RETURN_TO = '/console/#/connections';

/** What the consent came back with: `?gusto=connected`, `failed&error=…`, or one awaiting confirmation. */
export interface GustoReturn {
  outcome: string;
  error?: string;
  companyUuid?: string;
  companyName?: string;
  connectionId?: string;
}

/** Reads the outcome from the URL once and removes it (a reload must not show it again). */
export function takeGustoReturn(): GustoReturn | undefined {
  const query = new URLSearchParams(window.location.search);
  const outcome = query.get('gusto');
  if (!outcome) return undefined;
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
  const pending = sessionStorage.getItem(PENDING) ?? undefined;
  sessionStorage.removeItem(PENDING);
  const field = (name: string) => query.get(name) ?? undefined;
  return {
    outcome,
    error: field('error'),
    companyUuid: field('companyUuid') ?? field('company_uuid'),
    companyName: field('companyName') ?? field('company_name'),
    connectionId: field('connectionId') ?? field('connection') ?? pending,
  };
}

const ERROR_WORDS: Record<string, string> = {
  gusto_company_mismatch: 'Gusto granted access to another company than the one named',
  gusto_authorization_denied: 'access was not granted in Gusto',
  company_already_connected: 'that Gusto company is already connected elsewhere',
  authorization_state_expired: 'the authorization took too long; start it again',
  authorization_state_unknown: 'the authorization was not started here or was already used',
};

export function GustoConnectForm({ connection: c }: { connection: Connection }) {
  const [companyUuid, setCompanyUuid] = useState(c.gusto.companyUuid ?? '');
  const start = (e: FormEvent) => {
    e.preventDefault();
    sessionStorage.setItem(PENDING, c.id);
    window.location.assign(api.gustoAuthorizeUrl(c.id, RETURN_TO, companyUuid.trim() || undefined));
  };
  const label = c.gusto.status === 'connected' ? 'Reconnect Gusto' : 'Connect to Gusto';
  return (
    <form className="add-row" onSubmit={start} aria-label={`${label}: ${c.name}`}>
      <label className="inline">
        <span>Gusto company ID</span>
        <input
          aria-label="Gusto company ID"
          value={companyUuid}
          onChange={(e) => setCompanyUuid(e.target.value)}
          placeholder="optional: only this company may be connected"
          size={38}
        />
      </label>
      <button type="submit">{label}</button>
    </form>
  );
}

/** The outcome of the consent in words; a company granted but not named is confirmed (or not) here. */
export function GustoReturnNotice({ gustoReturn: r, onDone }: { gustoReturn: GustoReturn; onDone: () => void }) {
  const [state, setState] = useState<'asking' | 'confirming' | 'confirmed' | 'dismissed'>('asking');
  const [failure, setFailure] = useState<string>();
  if (r.outcome === 'connected') return <Notice kind="ok">Gusto is connected.</Notice>;
  if (r.outcome === 'failed')
    return (
      <Notice kind="error">
        Gusto was not connected: {ERROR_WORDS[r.error ?? ''] ?? (r.error ?? 'unknown reason').replace(/_/g, ' ')}.
      </Notice>
    );
  if (state === 'dismissed') return <Notice>Nothing was connected.</Notice>;
  if (state === 'confirmed') return <Notice kind="ok">Gusto is connected.</Notice>;
  const { companyUuid, connectionId } = r;
  const confirm = async () => {
    if (!companyUuid || !connectionId) return;
    setState('confirming');
    setFailure(undefined);
    try {
      await api.confirmGusto(connectionId, companyUuid);
      setState('confirmed');
      onDone();
    } catch (error) {
      setFailure(messageOf(error));
      setState('asking');
    }
  };
  return (
    <div className="notice warn" role="status" data-testid="gusto-confirm">
      <p>
        Gusto granted access to {r.companyName ? `“${r.companyName}” ` : ''}
        {companyUuid ? `(company ${companyUuid})` : 'a company'}. Nothing is connected until you confirm it is the right
        one.
      </p>
      {failure ? <p className="field-error">{failure}</p> : null}
      {companyUuid && connectionId ? (
        <div className="actions">
          <button type="button" onClick={confirm} disabled={state === 'confirming'}>
            Confirm this company
          </button>
          <button type="button" className="secondary" onClick={() => setState('dismissed')}>
            Not this one
          </button>
        </div>
      ) : (
        <p>Start again with the Gusto company ID filled in.</p>
      )}
    </div>
  );
}
