import { useEffect, useState } from 'react';
import { ApiError, api } from '../api';
import type { Access } from '../access';
import { ErrorNotice, Loading, Notice } from '../components/Notice';
import { errorsByPath } from '../components/Field';
import { useLoad } from '../hooks';
import { AccountsSection } from '../mapping/AccountsSection';
import { DepartmentsSection } from '../mapping/DepartmentsSection';
import { OptionsSection } from '../mapping/OptionsSection';
import { PreviewPanel } from '../mapping/PreviewPanel';
import { placedPaths, toDocument, toDraft, type Draft } from '../mapping/draft';

/**
 * The mapping editor. Saved with If-Match (the connection's ETag), so two people editing at once never
 * overwrite each other silently; a 400/422 answer is shown next to every field it names.
 */
export function MappingPage({ connectionId, access }: { connectionId: string | null; access: Access }) {
  if (!connectionId) return <p>Choose a connection first (Connections).</p>;
  return <MappingEditor key={connectionId} connectionId={connectionId} access={access} />;
}

function MappingEditor({ connectionId, access }: { connectionId: string; access: Access }) {
  const connection = useLoad(() => api.connection(connectionId), [connectionId]);
  const chart = useLoad(
    () => Promise.all([api.accounts(connectionId), api.subaccounts(connectionId).catch(() => undefined)]),
    [connectionId],
  );
  const [draft, setDraft] = useState<Draft>();
  const [etag, setEtag] = useState<string | null>(null);
  const [errors, setErrors] = useState<Map<string, string[]>>(new Map());
  const [failure, setFailure] = useState<unknown>();
  const [saved, setSaved] = useState<number>();
  const [saving, setSaving] = useState(false);
  const readOnly = !access.operate;

  useEffect(() => {
    const loaded = connection.data;
    if (!loaded) return;
    setEtag(loaded.etag);
    setDraft((d) => d ?? toDraft(loaded.body.mapping?.document, loaded.body.acumatica.branch));
  }, [connection.data]);

  if (connection.error) return <ErrorNotice error={connection.error} title="The connection could not be loaded" />;
  if (!connection.data || !draft) return <Loading what="the mapping" />;
  const current = connection.data.body;
  const [accounts, subaccounts] = chart.data ?? [undefined, undefined];
  // The pickers wait for the chart; only when Acumatica cannot be read are accounts typed instead.
  if (!chart.data && !chart.error) return <Loading what="Acumatica's chart of accounts" />;

  const save = async () => {
    setSaving(true);
    setErrors(new Map());
    setFailure(undefined);
    setSaved(undefined);
    try {
      const answer = await api.putMapping(connectionId, toDocument(draft), etag);
      setEtag(answer.etag);
      setSaved(answer.body.version);
      connection.reload();
    } catch (error) {
      if (error instanceof ApiError) {
        if (error.status === 412)
          setFailure(
            new Error(
              'Someone changed this connection since you opened it. Reload the page to see their mapping, then make your change again.',
            ),
          );
        else {
          setErrors(errorsByPath(error.detailLines));
          setFailure(error);
        }
      } else setFailure(error);
    } finally {
      setSaving(false);
    }
  };

  const placed = placedPaths(draft);
  const unplaced = [...errors.entries()]
    .filter(([path]) => !placed.has(path))
    .flatMap(([path, ms]) => ms.map((m) => (path ? `${path}: ${m}` : m)));
  const problemCount = [...errors.values()].reduce((n, ms) => n + ms.length, 0);

  return (
    <section aria-labelledby="mapping-title" className="mapping-page">
      <div className="title-row">
        <h1 id="mapping-title">Mapping — {current.name}</h1>
        <span className="muted">{current.mapping ? `version ${current.mapping.version}` : 'no mapping saved yet'}</span>
      </div>
      {readOnly ? <Notice>Read only: your key may look at the mapping but not change it.</Notice> : null}
      <ErrorNotice
        error={chart.error}
        title="Acumatica's chart of accounts could not be read (type account numbers instead)"
      />
      <OptionsSection
        journal={draft.journal}
        onChange={(journal) => setDraft({ ...draft, journal })}
        errors={errors}
        readOnly={readOnly}
      />
      <AccountsSection
        rows={draft.accounts}
        onChange={(rows) => setDraft({ ...draft, accounts: rows })}
        accounts={accounts}
        subaccounts={subaccounts}
        errors={errors}
        readOnly={readOnly}
      />
      <DepartmentsSection
        draft={draft}
        onChange={setDraft}
        subaccounts={subaccounts}
        errors={errors}
        readOnly={readOnly}
      />
      {readOnly ? null : (
        <div className="save-bar">
          {problemCount > 0 ? (
            <div className="notice error" role="alert">
              <strong>
                Not saved: {problemCount === 1 ? 'one problem' : `${problemCount} problems`}, each shown next to its
                field.
              </strong>
              {unplaced.length ? (
                <ul>
                  {unplaced.map((m, i) => (
                    <li key={i} data-testid="mapping-error">
                      {m}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : (
            <ErrorNotice error={failure} title="Not saved" />
          )}
          {saved !== undefined ? <Notice kind="ok">Saved: mapping version {saved}.</Notice> : null}
          <button type="button" data-testid="mapping-save" onClick={save} disabled={saving}>
            {saving ? 'Saving…' : 'Save mapping'}
          </button>
        </div>
      )}
      {access.operate ? <PreviewPanel connectionId={connectionId} mappingVersion={current.mapping?.version} /> : null}
    </section>
  );
}
