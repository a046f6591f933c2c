import { useState, type FormEvent } from 'react';
import { ApiError, api } from '../api';
import { Field, errorsByPath } from '../components/Field';
import { ErrorNotice, Notice } from '../components/Notice';
import { messageOf } from '../hooks';
import { navigate } from '../router';

type TextKey = Exclude<keyof Form, 'kind'>;
type FieldIds = { id: string; describedBy?: string; invalid?: boolean };

interface Form {
  name: string;
  baseUrl: string;
  tenant: string;
  branch: string;
  endpointVersion: string;
  kind: 'oauth2' | 'cookie';
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

const EMPTY: Form = {
  name: '',
  baseUrl: '',
  tenant: '',
  branch: '',
  endpointVersion: '',
  kind: 'oauth2',
  clientId: '',
  clientSecret: '',
  username: '',
  password: '',
};

/** New connection: the tenant, an endpoint version the instance offers, and the credentials (sealed at once). */
export function NewConnectionPage({ onCreated }: { onCreated: (id: string) => void }) {
  const [form, setForm] = useState<Form>(EMPTY);
  const [versions, setVersions] = useState<string[] | null>(null);
  const [versionsError, setVersionsError] = useState<string>();
  const [looking, setLooking] = useState(false);
  const [errors, setErrors] = useState<Map<string, string[]>>(new Map());
  /** A plain text input for a form field, wired to the Field's ids and the form's state. */
  const textInput =
    (key: TextKey, options: { type?: string; autoComplete?: string; required?: boolean } = {}) =>
    (ids: FieldIds) => (
      <input
        id={ids.id}
        aria-describedby={ids.describedBy}
        aria-invalid={ids.invalid}
        type={options.type}
        autoComplete={options.autoComplete}
        required={options.required ?? true}
        value={form[key]}
        onChange={(e) => set(key, e.target.value)}
      />
    );
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const at = (path: string) => errors.get(path);

  const findVersions = async () => {
    setLooking(true);
    setVersionsError(undefined);
    try {
      const offered = await api.endpointVersions(form.baseUrl.trim());
      setVersions(offered);
      if (!offered.includes(form.endpointVersion)) set('endpointVersion', offered[offered.length - 1] ?? '');
    } catch (error) {
      setVersions(null);
      setVersionsError(`The instance at this URL could not tell its endpoint versions: ${messageOf(error)}`);
    } finally {
      setLooking(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors(new Map());
    setFailure(undefined);
    const auth =
      form.kind === 'oauth2'
        ? {
            kind: 'oauth2',
            clientId: form.clientId.trim(),
            clientSecret: form.clientSecret,
            username: form.username.trim(),
            password: form.password,
          }
        : { kind: 'cookie', username: form.username.trim(), password: form.password };
    const acumatica = {
      baseUrl: form.baseUrl.trim(),
      tenant: form.tenant.trim(),
      ...(form.branch.trim() ? { branch: form.branch.trim() } : {}),
      endpointVersion: form.endpointVersion.trim(),
      auth,
    };
    try {
      const created = await api.createConnection({ name: form.name.trim(), acumatica });
      onCreated(created.id);
      navigate('/connections');
    } catch (error) {
      if (error instanceof ApiError && error.detailLines.length) setErrors(errorsByPath(error.detailLines));
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-connection-title">
      <h1 id="new-connection-title">New connection</h1>
      <p className="muted">
        Secrets are encrypted as soon as they arrive and are never shown again. Test the connection once it is created.
      </p>
      <form onSubmit={submit} className="grid-form">
        <Field label="Name" errors={at('name')}>
          {textInput('name')}
        </Field>
        <fieldset>
          <legend>Acumatica</legend>
          <Field label="Instance URL" hint="e.g. https://acme.acumatica.com" errors={at('acumatica.baseUrl')}>
            {(ids) => (
              <div className="with-button">
                <input
                  id={ids.id}
                  aria-describedby={ids.describedBy}
                  aria-invalid={ids.invalid}
                  type="url"
                  required
                  value={form.baseUrl}
                  onChange={(e) => set('baseUrl', e.target.value)}
                  onBlur={() => form.baseUrl && !versions && findVersions()}
                />
                <button type="button" className="secondary" onClick={findVersions} disabled={!form.baseUrl || looking}>
                  {looking ? 'Asking…' : 'Find versions'}
                </button>
              </div>
            )}
          </Field>
          {versionsError ? <Notice kind="warn">{versionsError} You can still type a version.</Notice> : null}
          <Field label="Tenant" errors={at('acumatica.tenant')}>
            {textInput('tenant')}
          </Field>
          <Field label="Branch (optional)" errors={at('acumatica.branch')}>
            {textInput('branch', { required: false })}
          </Field>
          <Field
            label="Endpoint version"
            hint={
              versions
                ? `Offered by the instance: ${versions.join(', ')}`
                : 'Find the versions the instance offers, or type one (NN.NNN.NNN)'
            }
            errors={at('acumatica.endpointVersion')}
          >
            {(ids) =>
              versions && versions.length ? (
                <select
                  id={ids.id}
                  aria-describedby={ids.describedBy}
                  aria-invalid={ids.invalid}
                  required
                  value={form.endpointVersion}
                  onChange={(e) => set('endpointVersion', e.target.value)}
                >
                  {versions.map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={ids.id}
                  aria-describedby={ids.describedBy}
                  aria-invalid={ids.invalid}
                  required
                  pattern="\d{2}\.\d{3}\.\d{3}"
                  value={form.endpointVersion}
                  onChange={(e) => set('endpointVersion', e.target.value)}
                />
              )
            }
          </Field>
          <fieldset className="radios">
            <legend>Sign-in kind</legend>
            <label className="inline">
              <input
                type="radio"
                name="kind"
                value="oauth2"
                checked={form.kind === 'oauth2'}
                onChange={() => set('kind', 'oauth2')}
              />{' '}
              OAuth 2 (connected application)
            </label>
            <label className="inline">
              <input
                type="radio"
                name="kind"
                value="cookie"
                checked={form.kind === 'cookie'}
                onChange={() => set('kind', 'cookie')}
              />{' '}
              User name and password (cookie)
            </label>
          </fieldset>
          {form.kind === 'oauth2' ? (
            <>
              <Field
                label="Client ID"
                hint="GUID@Tenant, from the connected application (SM303010)"
                errors={at('acumatica.auth.clientId')}
              >
                {textInput('clientId')}
              </Field>
              <Field label="Client secret" errors={at('acumatica.auth.clientSecret')}>
                {textInput('clientSecret', { type: 'password', autoComplete: 'off' })}
              </Field>
            </>
          ) : null}
          <Field label="User name" errors={at('acumatica.auth.username')}>
            {textInput('username', { autoComplete: 'off' })}
          </Field>
          <Field label="Password" errors={at('acumatica.auth.password')}>
            {textInput('password', { type: 'password', autoComplete: 'new-password' })}
          </Field>
        </fieldset>
        <ErrorNotice error={failure} title="Not created" />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create connection'}
          </button>
          <button type="button" className="secondary" onClick={() => navigate('/connections')}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
