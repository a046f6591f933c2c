import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorNotice, Loading, Notice } from '../components/Notice';
import { actorOf, causeOf, describeEvent } from '../components/describe';
import { download, toCsv } from '../csv';
import { dateTime } from '../format';
import { messageOf, useLoad } from '../hooks';
import type { AuditEvent } from '../types';

interface Filters {
  type: string;
  from: string;
  to: string;
  scope: 'connection' | 'all';
}

const EXPORT_CAP = 10_000;
const iso = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);

/** The event explorer: the whole history (of the chosen connection, or of all for a key that sees all), filtered and exported. */
export function AuditPage({
  connectionId,
  everyConnection,
}: {
  connectionId: string | null;
  everyConnection: boolean;
}) {
  const [draft, setDraft] = useState<Filters>({ type: '', from: '', to: '', scope: 'connection' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [after, setAfter] = useState<string[]>([]);
  const [exporting, setExporting] = useState(false);
  const [exportNote, setExportNote] = useState<string>();
  const params = (f: Filters, cursor?: string) => ({
    connectionId: f.scope === 'all' && everyConnection ? undefined : (connectionId ?? undefined),
    type: f.type.trim() || undefined,
    from: iso(f.from),
    to: iso(f.to),
    after: cursor,
  });
  const page = useLoad(
    () => api.auditEvents({ ...params(filters, after[after.length - 1]), limit: '50' }),
    [filters, after, connectionId],
  );
  const apply = (e: FormEvent) => (e.preventDefault(), setAfter([]), setFilters(draft));

  const exportCsv = async () => {
    setExporting(true);
    setExportNote(undefined);
    try {
      const all: AuditEvent[] = [];
      let cursor: string | undefined;
      do {
        const p = await api.auditEvents({ ...params(filters, cursor), limit: '500' });
        all.push(...p.items);
        cursor = p.next ?? undefined;
      } while (cursor && all.length < EXPORT_CAP);
      const rows = all.map((e) => [
        e.position,
        e.time,
        e.stream,
        e.type,
        e.metadata?.actor ?? '',
        e.metadata?.correlationId ?? '',
        e.metadata?.causationId ?? '',
        describeEvent(e),
        JSON.stringify(e.data),
      ]);
      download(
        `audit-events-${new Date().toISOString().slice(0, 10)}.csv`,
        toCsv(['position', 'time', 'stream', 'type', 'actor', 'correlationId', 'causationId', 'what', 'data'], rows),
      );
      setExportNote(
        `${all.length} event(s) exported${cursor ? ` (stopped at ${EXPORT_CAP}; narrow the filters for the rest)` : ''}.`,
      );
    } catch (error) {
      setExportNote(`Export failed: ${messageOf(error)}`);
    } finally {
      setExporting(false);
    }
  };

  const items = page.data?.items ?? [];
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <form className="filters" role="search" aria-label="Filter events" onSubmit={apply}>
        {everyConnection ? (
          <label className="inline">
            <span>Connections</span>
            <select
              aria-label="Connections"
              value={draft.scope}
              onChange={(e) => setDraft({ ...draft, scope: e.target.value as Filters['scope'] })}
            >
              <option value="connection">The chosen connection</option>
              <option value="all">All</option>
            </select>
          </label>
        ) : null}
        <label className="inline">
          <span>Event type</span>
          <input
            aria-label="Event type"
            value={draft.type}
            onChange={(e) => setDraft({ ...draft, type: e.target.value })}
            placeholder="e.g. PayrollPosted"
          />
        </label>
        <label className="inline">
          <span>From</span>
          <input
            aria-label="From"
            type="datetime-local"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label className="inline">
          <span>To</span>
          <input
            aria-label="To"
            type="datetime-local"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </label>
        <button type="submit">Apply filters</button>
        <button type="button" className="secondary" onClick={exportCsv} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </form>
      {exportNote ? <Notice>{exportNote}</Notice> : null}
      <ErrorNotice error={page.error} title="Events could not be loaded" />
      {page.loading && !page.data ? <Loading what="events" /> : null}
      <div className="table-wrap">
        <table className="list">
          <caption className="sr-only">Events, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">What happened</th>
              <th scope="col">Actor</th>
              <th scope="col">Cause</th>
              <th scope="col">Stream</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={`${e.position}-${e.id}`} data-testid="audit-event" data-event-type={e.type}>
                <td>
                  <time dateTime={e.time}>{dateTime(e.time)}</time>
                </td>
                <td>
                  {describeEvent(e)}
                  <div className="muted small">
                    <code>{e.type}</code>
                  </div>
                </td>
                <td>{actorOf(e)}</td>
                <td className="small">{causeOf(e, items)}</td>
                <td className="small">
                  <code>{e.stream}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.data && items.length === 0 ? <p>No event matches.</p> : null}
      <div className="actions">
        {after.length ? (
          <button type="button" className="secondary" onClick={() => setAfter(after.slice(0, -1))}>
            Previous page
          </button>
        ) : null}
        {page.data?.next ? (
          <button type="button" className="secondary" onClick={() => setAfter([...after, page.data?.next ?? ''])}>
            Next page
          </button>
        ) : null}
      </div>
    </section>
  );
}
