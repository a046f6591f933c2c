import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorNotice } from '../components/Notice';
import type { Session } from '../types';

/** Sign in with an API key (or the admin token): the service answers with an httpOnly session cookie. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await api.signIn(key.trim());
      setKey('');
      onSignedIn(session);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="sign-in">
      <h1>ml-connector console</h1>
      <p>Gusto payrolls posted into Acumatica, exactly once. Sign in with your API key.</p>
      <form onSubmit={submit} aria-describedby="sign-in-help">
        <label>
          <span>API key</span>
          <input
            data-testid="sign-in-key"
            type="password"
            autoComplete="current-password"
            required
            value={key}
            onChange={(e) => setKey(e.target.value)}
            aria-invalid={error ? true : undefined}
          />
        </label>
        <p id="sign-in-help" className="muted">
          The key is sent once; the browser then keeps only a session cookie the page cannot read.
        </p>
        <ErrorNotice error={error} title="Not signed in" />
        <button data-testid="sign-in-submit" type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
