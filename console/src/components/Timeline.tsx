import { dateTime } from '../format';
import type { AuditEvent } from '../types';
import { actorOf, causeOf, describeEvent } from './describe';

/** A posting's audit trail: every event with time, actor, what happened and what caused it. */
export function Timeline({ events }: { events: AuditEvent[] }) {
  return (
    <ol className="timeline" aria-label="Audit timeline">
      {events.map((e) => (
        <li key={e.id} data-testid="audit-event" data-event-type={e.type}>
          <div className="when">
            <time dateTime={e.time}>{dateTime(e.time)}</time>
          </div>
          <div className="what">
            <strong>{describeEvent(e)}</strong>
            <div className="muted small">
              <span>
                Type <code>{e.type}</code>
              </span>{' '}
              · <span>Actor: {actorOf(e)}</span> · <span>Cause: {causeOf(e, events)}</span>
            </div>
            <details>
              <summary>Data</summary>
              <pre>{JSON.stringify({ data: e.data, metadata: e.metadata }, null, 2)}</pre>
            </details>
          </div>
        </li>
      ))}
    </ol>
  );
}
