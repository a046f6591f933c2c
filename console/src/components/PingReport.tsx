import type { PingResult } from '../types';

/** The service's words without a leading machine code (`not_connected: authorize …` → `authorize …`). */
const words = (error: string | undefined): string | undefined =>
  error?.replace(/^[a-z]+(?:_[a-z]+)+: /, '').replace(/\.$/, '');

/** A ping answer in sentences: what works, and for what does not, what is wrong and what to do. */
export function pingSentences(result: PingResult): Array<{ ok: boolean; text: string }> {
  const { gusto, acumatica } = result;
  const out: Array<{ ok: boolean; text: string }> = [];
  out.push(
    gusto.ok
      ? { ok: true, text: `Gusto answers: company ${gusto.companyName ?? gusto.companyUuid ?? ''} is reachable.` }
      : {
          ok: false,
          text: `Gusto: ${words(gusto.error) ?? 'not reachable'}.${/not.connected|authoriz/i.test(gusto.error ?? '') ? ' Use “Connect to Gusto”.' : ''}`,
        },
  );
  if (acumatica.ok) {
    out.push({
      ok: true,
      text: `Acumatica answers with endpoint version ${acumatica.endpointVersion} and accepts the credentials.`,
    });
  } else {
    let text = `Acumatica: ${words(acumatica.error) ?? 'not reachable'}.`;
    if (acumatica.availableVersions?.length && !acumatica.availableVersions.includes(acumatica.endpointVersion)) {
      text += ` The instance does not offer endpoint version ${acumatica.endpointVersion}; it offers ${acumatica.availableVersions.join(', ')}.`;
    }
    if (/^authentication failed/i.test(acumatica.error ?? ''))
      text += ' Check the user name, password and client in Acumatica.';
    out.push({ ok: false, text });
  }
  return out;
}

export function PingReport({ result, at }: { result: PingResult; at?: string }) {
  return (
    <ul className="ping" aria-label="Connection test result">
      {pingSentences(result).map((s, i) => (
        <li key={i} className={s.ok ? 'ok' : 'bad'}>
          <span aria-hidden="true">{s.ok ? '✓' : '✗'}</span> {s.text}
        </li>
      ))}
      {at ? <li className="muted">Tested {new Date(at).toLocaleString()}</li> : null}
    </ul>
  );
}

const PINGS = 'mlc.console.pings';

/** The last ping of each connection, kept for this browser session (the service does not store pings). */
export const lastPings = (): Record<string, { at: string; result: PingResult }> => {
  try {
    return JSON.parse(sessionStorage.getItem(PINGS) ?? '{}');
  } catch {
    return {};
  }
};

export const rememberPing = (id: string, result: PingResult): void => {
  sessionStorage.setItem(PINGS, JSON.stringify({ ...lastPings(), [id]: { at: new Date().toISOString(), result } }));
};
