import { useState } from 'react';
import { api } from '../api';
import type { Access } from '../access';
import { ErrorNotice, Loading, Notice } from '../components/Notice';
import { dateTime } from '../format';
import { messageOf, useLoad } from '../hooks';
import type { Employee } from '../types';

const STATUS = {
  not_mirrored: 'Not mirrored',
  active: 'Active',
  termination_scheduled: 'Termination scheduled',
  terminated: 'Terminated',
} as Record<string, string>;

/** The employee mirror: each Gusto employee, its Acumatica record, and any drift or problem. */
export function EmployeesPage({ connectionId, access }: { connectionId: string | null; access: Access }) {
  const [onlyIssues, setOnlyIssues] = useState(false);
  const [syncing, setSyncing] = useState(false);
  const [syncNote, setSyncNote] = useState<{ ok: boolean; text: string }>();
  const [pages, setPages] = useState(1);
  const list = useLoad(async () => {
    if (!connectionId) return { items: [] as Employee[], next: null };
    const items: Employee[] = [];
    let cursor: string | undefined;
    let next: string | null = null;
    for (let i = 0; i < pages; i++) {
      const page = await api.employees(connectionId, cursor);
      items.push(...page.items);
      next = page.next;
      if (!next) break;
      cursor = next;
    }
    return { items, next };
  }, [connectionId, pages]);
  if (!connectionId) return <p>Choose a connection first (Connections).</p>;
  /** The backfill poll, now: payrolls and employees read from Gusto again. */
  const sync = async () => {
    setSyncing(true);
    setSyncNote(undefined);
    try {
      const answer = await api.sync(connectionId);
      setSyncNote(
        answer.status === 'busy'
          ? { ok: true, text: 'A sync is already running; the list updates when it is done.' }
          : { ok: true, text: 'Synced with Gusto.' },
      );
      list.reload();
    } catch (error) {
      setSyncNote({ ok: false, text: `Not synced: ${messageOf(error)}` });
    } finally {
      setSyncing(false);
    }
  };
  const items = (list.data?.items ?? []).filter((e) => !onlyIssues || e.drift || e.problem);
  const issues = (list.data?.items ?? []).filter((e) => e.drift || e.problem).length;
  return (
    <section aria-labelledby="employees-title">
      <h1 id="employees-title">Employees</h1>
      <p>
        {list.data ? `${list.data.items.length} employee(s) loaded; ${issues} with drift or a problem.` : null}{' '}
        <label className="inline">
          <input type="checkbox" checked={onlyIssues} onChange={(e) => setOnlyIssues(e.target.checked)} /> Only drift
          and problems
        </label>
      </p>
      {access.operate ? (
        <div className="actions">
          <button type="button" onClick={sync} disabled={syncing}>
            {syncing ? 'Syncing…' : 'Sync with Gusto now'}
          </button>
        </div>
      ) : null}
      {syncNote ? <Notice kind={syncNote.ok ? 'ok' : 'error'}>{syncNote.text}</Notice> : null}
      <ErrorNotice error={list.error} title="The employee mirror could not be loaded" />
      {list.loading && !list.data ? <Loading what="employees" /> : null}
      <div className="table-wrap">
        <table className="list">
          <caption className="sr-only">Employee mirror</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status in Acumatica</th>
              <th scope="col">Acumatica EmployeeID</th>
              <th scope="col">Last sync</th>
              <th scope="col">Drift or problem</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.gustoUuid} data-testid="employee-row" className={e.drift || e.problem ? 'invalid' : undefined}>
                <th scope="row">
                  {e.name}
                  <div className="muted small">{e.gustoUuid}</div>
                </th>
                <td>{STATUS[e.status] ?? e.status}</td>
                <td>{e.acumaticaEmployeeId ?? '—'}</td>
                <td>{dateTime(e.lastSyncAt)}</td>
                <td>
                  {e.problem ? <p className="field-error">{e.problem.message}</p> : null}
                  {e.drift ? (
                    <ul className="small">
                      {e.drift.fields.map((f) => (
                        <li key={f.field}>
                          {f.field}: Gusto says “{f.gusto ?? '—'}”, Acumatica says “{f.acumatica ?? '—'}”
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {!e.drift && !e.problem ? <span className="muted">in agreement</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data?.next ? (
        <button type="button" className="secondary" onClick={() => setPages((n) => n + 1)}>
          Load more
        </button>
      ) : null}
    </section>
  );
}
