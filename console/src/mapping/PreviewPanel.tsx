import { useState } from 'react';
import { ApiError, api } from '../api';
import { JournalTable } from '../components/JournalTable';
import { ErrorNotice, Loading } from '../components/Notice';
import { STATUS_WORDS } from '../format';
import { useLoad } from '../hooks';
import type { Preview } from '../types';

/** The journal a chosen processed payroll would become with the saved mapping (nothing is posted). */
export function PreviewPanel({
  connectionId,
  mappingVersion,
}: {
  connectionId: string;
  mappingVersion: number | undefined;
}) {
  const payrolls = useLoad(() => api.gustoPayrolls(connectionId), [connectionId, mappingVersion]);
  const [chosen, setChosen] = useState('');
  const [preview, setPreview] = useState<Preview>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const processed = (payrolls.data ?? []).filter((p) => p.processed);
  const selected = chosen || processed[0]?.payrollUuid || '';
  const run = async () => {
    setBusy(true);
    setFailure(undefined);
    setPreview(undefined);
    try {
      setPreview(await api.preview(connectionId, selected));
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const reasons = failure instanceof ApiError && failure.status === 422 ? failure.detailLines : [];
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">Preview a payroll</h2>
      <p className="muted">
        Uses the saved mapping{mappingVersion ? ` (version ${mappingVersion})` : ''}; nothing is posted.
      </p>
      {payrolls.loading && !payrolls.data ? <Loading what="Gusto payrolls" /> : null}
      <ErrorNotice error={payrolls.error} title="Gusto payrolls could not be read" />
      {payrolls.data ? (
        <div className="add-row">
          <label className="inline">
            <span>Payroll</span>
            <select aria-label="Payroll" value={selected} onChange={(e) => setChosen(e.target.value)}>
              {processed.length === 0 ? <option value="">No processed payroll</option> : null}
              {processed.map((p) => (
                <option key={p.payrollUuid} value={p.payrollUuid}>
                  {p.checkDate} · {p.payPeriod.startDate}–{p.payPeriod.endDate}
                  {p.offCycle ? ' · off-cycle' : ''} ·{' '}
                  {p.posting ? (STATUS_WORDS[p.posting.status] ?? p.posting.status) : 'not posted'}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={run} disabled={!selected || busy}>
            {busy ? 'Building…' : 'Preview journal'}
          </button>
        </div>
      ) : null}
      {reasons.length ? (
        <div className="notice error" role="alert">
          <strong>This payroll could not be posted with the saved mapping:</strong>
          <ul>
            {reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </div>
      ) : (
        <ErrorNotice error={failure} title="No preview" />
      )}
      {preview ? <JournalTable journal={preview} caption="Preview" /> : null}
      {preview?.accruals.map((a) => (
        <JournalTable
          key={a.month}
          journal={a.accrual}
          caption={`Accrual ${a.month} (${a.days} of ${a.periodDays} days)`}
        />
      ))}
    </section>
  );
}
