import { useState } from 'react';
import { ApiError, api } from '../api';
import type { Access } from '../access';
import { JournalTable } from '../components/JournalTable';
import { ErrorNotice, Loading, Notice } from '../components/Notice';
import { Timeline } from '../components/Timeline';
import { STATUS_WORDS, dateTime } from '../format';
import { useInterval, useLoad } from '../hooks';
import { Link } from '../router';
import type { Posting } from '../types';
import { checkDateOf } from './Postings';

const FINAL = new Set(['posted', 'needs_attention', 'cancelled']);
const REPLAYABLE = new Set(['needs_attention', 'failed']);

/** One posting: status, batch, why it waits, the journal, the reversal and its whole audit timeline. */
export function PostingDetailPage({ postingId, access }: { postingId: string; access: Access }) {
  const posting = useLoad(() => api.posting(postingId), [postingId]);
  const events = useLoad(() => api.postingEvents(postingId), [postingId]);
  const p = posting.data?.body;
  const settled =
    p !== undefined &&
    FINAL.has(p.status) &&
    (!p.reversal || ['reversed', 'needs_attention'].includes(p.reversal.status));
  // After a replay the posting is watched for a minute even while it still shows its old, settled status.
  const [watchUntil, setWatchUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const watching = now < watchUntil;
  useInterval(() => (setNow(Date.now()), posting.reload(), events.reload()), 2000, !settled || watching);

  if (posting.error) return <ErrorNotice error={posting.error} title="The posting could not be loaded" />;
  if (!p) return <Loading what="the posting" />;
  return (
    <section aria-labelledby="posting-title">
      <p>
        <Link to="/postings">← Postings</Link>
      </p>
      <h1 id="posting-title">Payroll {p.payrollUuid}</h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`badge status-${p.status}`} data-testid="posting-status">
            {STATUS_WORDS[p.status] ?? p.status}
          </span>
        </dd>
        <dt>Acumatica batch</dt>
        <dd data-testid="posting-batch">{p.acumatica.batchNbr ?? 'none yet'}</dd>
        <dt>Check date</dt>
        <dd>{checkDateOf(p) || '—'}</dd>
        <dt>Attempts</dt>
        <dd>{p.attempts}</dd>
        {p.mappingVersion !== undefined ? (
          <>
            <dt>Mapping version</dt>
            <dd>{p.mappingVersion}</dd>
          </>
        ) : null}
        <dt>Updated</dt>
        <dd>{dateTime(p.updatedAt)}</dd>
        {p.waiting ? (
          <>
            <dt>Waiting</dt>
            <dd>
              {p.waiting.for === 'retry'
                ? `retries at ${dateTime(p.waiting.until)}`
                : `a create Acumatica may still carry out, until ${dateTime(p.waiting.until)}`}
            </dd>
          </>
        ) : null}
      </dl>
      <WhyAndReplay
        posting={p}
        access={access}
        onReplayed={() => {
          setNow(Date.now());
          setWatchUntil(Date.now() + 60_000);
          posting.reload();
          events.reload();
        }}
        etag={posting.data?.etag ?? null}
      />
      {p.reversal ? (
        <section aria-labelledby="reversal-title">
          <h2 id="reversal-title">Reversal</h2>
          <p>
            The payroll was cancelled after posting: reversal {p.reversal.status}
            {p.reversal.batchNbr ? `, batch ${p.reversal.batchNbr}` : ''}.
            {p.reversal.lastError ? ` ${p.reversal.lastError.message}` : ''}
          </p>
        </section>
      ) : null}
      <section aria-labelledby="journal-title">
        <h2 id="journal-title">Journal</h2>
        {p.journal ? (
          <JournalTable journal={p.journal} caption="Journal transaction" />
        ) : (
          <p className="muted">No journal built yet.</p>
        )}
      </section>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Audit timeline</h2>
        <ErrorNotice error={events.error} title="The audit trail could not be loaded" />
        {events.data ? <Timeline events={events.data.items} /> : <Loading what="the audit trail" />}
      </section>
    </section>
  );
}

/** The reason comes first; the replay button follows it, only for postings that need it and only for a role that may. */
function WhyAndReplay({
  posting: p,
  access,
  onReplayed,
  etag,
}: {
  posting: Posting;
  access: Access;
  onReplayed: () => void;
  etag: string | null;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [requested, setRequested] = useState(false);
  if (!p.lastError && !REPLAYABLE.has(p.status)) return null;
  const replay = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await api.replay(p.id, etag);
      setRequested(true);
      onReplayed();
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        // Sent with If-Match: the posting moved on since this page read it. Show what it is now.
        setFailure(
          new Error(
            'The posting changed since this page loaded it; it is shown again as it stands now. Check the reason, then replay again if it still needs it.',
          ),
        );
        onReplayed();
      } else setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const reasons = p.lastError?.reasons ?? [];
  return (
    <section aria-labelledby="why-title" className="why">
      <h2 id="why-title">{p.status === 'needs_attention' ? 'Why it needs attention' : 'Last problem'}</h2>
      {p.lastError ? (
        <div className={`notice ${p.status === 'needs_attention' ? 'error' : 'warn'}`} data-testid="posting-reason">
          {reasons.length > 1 ? (
            <ul>
              {reasons.map((r, i) => (
                <li key={i}>{r.message}</li>
              ))}
            </ul>
          ) : (
            <p>{p.lastError.message}</p>
          )}
          {reasons.some((r) => r.keys?.length) ? (
            <p className="small">Mapping keys concerned: {reasons.flatMap((r) => r.keys ?? []).join(', ')}</p>
          ) : null}
        </div>
      ) : null}
      {access.operate && REPLAYABLE.has(p.status) ? (
        <>
          <p>
            After fixing the cause (for example in <Link to="/mapping">the mapping</Link>), replay the posting. It stays
            exactly once: an existing journal is found, not duplicated.
          </p>
          <button type="button" data-testid="replay-button" onClick={replay} disabled={busy}>
            {busy ? 'Replaying…' : 'Replay posting'}
          </button>
        </>
      ) : null}
      {requested ? <Notice kind="ok">Replay requested; the status updates here.</Notice> : null}
      <ErrorNotice error={failure} title="Not replayed" />
    </section>
  );
}
