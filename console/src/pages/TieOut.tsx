import { useState } from 'react';
import { api, type TieOut } from '../api';
import { ErrorNotice, Loading } from '../components/Notice';
import { STATUS_WORDS, dateTime, money } from '../format';
import { useLoad } from '../hooks';

const thisMonth = (): string => new Date().toISOString().slice(0, 7);
const monthRange = (month: string): { from: string; to: string } => {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
};

/** The month's tie-out: Gusto, the journal and the Acumatica batch side by side, every difference named. */
export function TieOutPage({ connectionId }: { connectionId: string | null }) {
  const [month, setMonth] = useState(thisMonth);
  if (!connectionId) return <p>Choose a connection first (Connections).</p>;
  const { from, to } = monthRange(month);
  return (
    <section aria-labelledby="tie-out-title">
      <h1 id="tie-out-title">Tie-out</h1>
      <div className="filters">
        <label className="inline">
          <span>Month (by check date)</span>
          <input
            aria-label="Month (by check date)"
            type="month"
            value={month}
            onChange={(e) => e.target.value && setMonth(e.target.value)}
          />
        </label>
        <a className="button secondary" href={api.tieOutCsvUrl(connectionId, from, to)} download>
          Download CSV
        </a>
      </div>
      <Report key={`${connectionId}-${month}`} connectionId={connectionId} from={from} to={to} />
    </section>
  );
}

function Report({ connectionId, from, to }: { connectionId: string; from: string; to: string }) {
  const report = useLoad(() => api.tieOut(connectionId, from, to), [connectionId, from, to]);
  if (report.error) return <ErrorNotice error={report.error} title="The tie-out could not be built" />;
  if (!report.data) return <Loading what="the tie-out (Acumatica's batches are read back now)" />;
  const r: TieOut = report.data;
  return (
    <>
      <p data-testid="tie-out-summary">
        {from} to {to}: {r.period.payrolls} payroll(s), {r.period.posted} posted; journal debit{' '}
        {money(r.period.journal.debit)}, Acumatica debit {money(r.period.acumatica.debit)};{' '}
        {r.period.differences === 0 ? 'no difference.' : `${r.period.differences} difference(s).`}{' '}
        <span className="muted">Generated {dateTime(r.generatedAt)}.</span>
      </p>
      {r.payrolls.map((p) => (
        <article key={p.payrollUuid} className="card" aria-labelledby={`tie-${p.payrollUuid}`}>
          <h2 id={`tie-${p.payrollUuid}`}>
            Check date {p.checkDate} · {STATUS_WORDS[p.status] ?? p.status}
            {p.offCycle ? ' · off-cycle' : ''}
          </h2>
          <p className="muted small">
            Payroll {p.payrollUuid} · cash mode {p.cashMode}
            {p.acumatica
              ? ` · batch ${p.acumatica.batchNbr}${p.acumatica.status ? ` (${p.acumatica.status})` : ''}`
              : ''}
          </p>
          <div className="table-wrap">
            <table className="list">
              <thead>
                <tr>
                  <th scope="col">Figure</th>
                  <th scope="col" className="num">
                    Gusto
                  </th>
                  <th scope="col" className="num">
                    Journal
                  </th>
                  <th scope="col" className="num">
                    Acumatica
                  </th>
                  <th scope="col" className="num">
                    Difference
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.ties.map((t, i) => (
                  <tr key={i} className={/^-?0(\.0+)?$/.test(t.difference) ? undefined : 'invalid'}>
                    <th scope="row">{t.item}</th>
                    <td className="num">{money(t.gusto)}</td>
                    <td className="num">{money(t.journal)}</td>
                    <td className="num">{money(t.acumatica)}</td>
                    <td className="num">{money(t.difference)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {p.differences.length ? (
            <ul className="warnings" aria-label="Differences">
              {p.differences.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          ) : (
            <p className="ok-text">Ties out.</p>
          )}
        </article>
      ))}
    </>
  );
}
