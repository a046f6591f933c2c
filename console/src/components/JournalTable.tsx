import { money } from '../format';
import type { Journal } from '../types';

/** A journal's lines, debit and credit in their own columns, with the mapping key behind each line. */
export function JournalTable({ journal, caption }: { journal: Journal; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="journal">
        <caption>
          {caption} — {journal.header.transactionDate} · {journal.header.description}
          {journal.header.branch ? ` · branch ${journal.header.branch}` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Subaccount</th>
            <th scope="col" className="num">
              Debit
            </th>
            <th scope="col" className="num">
              Credit
            </th>
            <th scope="col">Memo</th>
            <th scope="col">Mapping key</th>
          </tr>
        </thead>
        <tbody>
          {journal.lines.map((l, i) => (
            <tr key={i}>
              <td>{l.account}</td>
              <td>{l.subaccount ?? <span className="muted">default</span>}</td>
              <td className="num">{l.side === 'debit' ? money(l.amount) : ''}</td>
              <td className="num">{l.side === 'credit' ? money(l.amount) : ''}</td>
              <td>{l.memo}</td>
              <td>
                <code>{l.mappingKey}</code>
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              Totals
            </th>
            <td className="num">{money(journal.totals.debit)}</td>
            <td className="num">{money(journal.totals.credit)}</td>
            <td colSpan={2}>{journal.totals.debit === journal.totals.credit ? 'Balanced' : 'Not balanced'}</td>
          </tr>
        </tfoot>
      </table>
      {journal.warnings && journal.warnings.length ? (
        <ul className="warnings" aria-label="Warnings">
          {journal.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
