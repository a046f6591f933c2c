import { useState } from 'react';
import { api } from '../api';
import { ErrorNotice, Loading } from '../components/Notice';
import { STATUS_WORDS, dateTime, money, shortId } from '../format';
import { useInterval, useLoad } from '../hooks';
import { Link, navigate } from '../router';
import type { Posting } from '../types';

const STATUSES = ['pending', 'posted', 'failed', 'needs_attention', 'cancelled'];

export const postingPath = (id: string): string => `/postings/${encodeURIComponent(id)}`;
export const checkDateOf = (p: Posting): string => p.payroll?.checkDate ?? p.journal?.header.transactionDate ?? '';

/**
 * Postings of the chosen connection, newest first. Status is filtered by the service; the check-date range
 * is applied to the pages loaded (the list API has no date filter).
 */
export function PostingsPage({ connectionId, params }: { connectionId: string | null; params: URLSearchParams }) {
  const status = params.get('status') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const [pages, setPages] = useState(1);
  const list = useLoad(async () => {
    const items: Posting[] = [];
    let cursor: string | undefined;
    let next: string | null = null;
    for (let i = 0; i < pages; i++) {
      const page = await api.postings({ connectionId: connectionId ?? undefined, status: status || undefined, cursor });
      items.push(...page.items);
      next = page.next;
      if (!next) break;
      cursor = next;
    }
    return { items, next };
  }, [connectionId, status, pages]);
  useInterval(list.reload, 3000);
  const setFilter = (change: Record<string, string>) => navigate('/postings', { status, from, to, ...change });
  const shown = (list.data?.items ?? []).filter(
    (p) => (!from || checkDateOf(p) >= from) && (!to || checkDateOf(p) <= to),
  );

  return (
    <section aria-labelledby="postings-title">
      <h1 id="postings-title">Postings</h1>
      <form className="filters" role="search" aria-label="Filter postings" onSubmit={(e) => e.preventDefault()}>
        <label className="inline">
          <span>Status</span>
          <select aria-label="Status" value={status} onChange={(e) => setFilter({ status: e.target.value })}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <span>Check date from</span>
          <input
            aria-label="Check date from"
            type="date"
            value={from}
            onChange={(e) => setFilter({ from: e.target.value })}
          />
        </label>
        <label className="inline">
          <span>to</span>
          <input
            aria-label="Check date to"
            type="date"
            value={to}
            onChange={(e) => setFilter({ to: e.target.value })}
          />
        </label>
      </form>
      <ErrorNotice error={list.error} title="Postings could not be loaded" />
      {list.loading && !list.data ? <Loading what="postings" /> : null}
      <div className="table-wrap">
        <table className="list">
          <caption className="sr-only">Postings, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Check date</th>
              <th scope="col">Payroll</th>
              <th scope="col">Status</th>
              <th scope="col">Batch</th>
              <th scope="col" className="num">
                Debit total
              </th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.id} data-testid="posting-row" data-payroll-uuid={p.payrollUuid}>
                <td>{checkDateOf(p) || '—'}</td>
                <td>
                  <Link to={postingPath(p.id)} aria-label={`Posting of payroll ${p.payrollUuid}`}>
                    {shortId(p.payrollUuid)}
                  </Link>
                </td>
                <td>
                  <span className={`badge status-${p.status}`} data-testid="posting-status">
                    {STATUS_WORDS[p.status] ?? p.status}
                  </span>
                </td>
                <td>{p.acumatica.batchNbr ?? '—'}</td>
                <td className="num">{money(p.journal?.totals.debit)}</td>
                <td>{dateTime(p.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data && shown.length === 0 ? <p>No posting matches.</p> : null}
      {list.data?.next ? (
        <button type="button" className="secondary" onClick={() => setPages((n) => n + 1)}>
          Load more
        </button>
      ) : null}
    </section>
  );
}
