/** Audit events in words: what happened, for the timeline and the explorer (the raw data stays one click away). */
import type { AuditEvent } from '../types';

/** The fields the sentences read, loosely: an event's data is whatever its type recorded. */
interface Data {
  trigger?: string;
  checkDate?: string;
  employees?: number;
  offCycle?: boolean;
  mappingVersion?: number;
  journal?: { lines?: unknown[]; totals?: { debit?: string; credit?: string } };
  reasons?: Array<{ message?: string }>;
  batchNbr?: string;
  originalBatchNbr?: string;
  step?: string;
  message?: string;
  code?: string;
  nextAttemptAt?: string;
  generation?: number;
  version?: number;
  name?: string;
  event_type?: string;
  eventType?: string;
  sourceEventId?: string;
}

const WORDS: Record<string, (d: Data) => string> = {
  PostingRequested: (d) => `Posting requested (${d.trigger ?? 'unknown trigger'})`,
  PayrollFetched: (d) =>
    `Payroll read from Gusto: check date ${d.checkDate}, ${d.employees} employee(s)${d.offCycle ? ', off-cycle' : ''}`,
  JournalBuilt: (d) =>
    `Journal built with mapping version ${d.mappingVersion}: ${d.journal?.lines?.length ?? '?'} lines, ${d.journal?.totals?.debit ?? '?'} debit / ${d.journal?.totals?.credit ?? '?'} credit`,
  PostingBlocked: (d) => `Blocked: ${(d.reasons ?? []).map((r) => r.message).join(' ')}`,
  JournalCreationStarted: () => 'Journal creation claimed (no existing journal found in Acumatica)',
  QueuedCreateAwaited: () => 'Waiting: Acumatica may still carry out an earlier create',
  ExistingJournalFound: (d) => `Existing journal found in Acumatica: batch ${d.batchNbr}`,
  JournalCreated: (d) => `Journal created in Acumatica: batch ${d.batchNbr}`,
  JournalReleased: (d) => `Batch ${d.batchNbr} released`,
  PayrollPosted: (d) => `Posted: batch ${d.batchNbr}`,
  AttemptFailed: (d) =>
    `Attempt failed${d.step ? ` while ${d.step}` : ''}: ${d.message ?? d.code ?? ''}${d.nextAttemptAt ? ` — next attempt ${new Date(d.nextAttemptAt).toLocaleString()}` : ''}`,
  PostingReplayed: (d) => `Replayed${d.mappingVersion ? ` with mapping version ${d.mappingVersion}` : ''}`,
  PostingCancelled: () => 'Cancelled in Gusto before anything reached the ledger',
  PostingReprocessed: (d) => `Processed again in Gusto (generation ${d.generation})`,
  CancellationContradicted: () =>
    'A cancellation arrived but Gusto still shows the payroll processed: nothing reversed',
  ReversalRequested: () => 'Reversal requested (payroll cancelled after posting)',
  ReversalJournalBuilt: () => 'Reversing journal built',
  ReversalJournalFound: (d) => `Existing reversing journal found: batch ${d.batchNbr}`,
  ReversalJournalCreated: (d) => `Reversing journal created: batch ${d.batchNbr}`,
  ReversalJournalReleased: (d) => `Reversing batch ${d.batchNbr} released`,
  PayrollReversed: (d) => `Reversed: batch ${d.batchNbr} reverses ${d.originalBatchNbr}`,
  MappingAccepted: (d) => `Mapping version ${d.version ?? '?'} accepted`,
  ConnectionCreated: (d) => `Connection ${d.name ?? ''} created`,
  GustoWebhookReceived: (d) => `Gusto webhook received: ${d.event_type ?? d.eventType ?? ''}`,
};

/** One sentence for the event; the type name when the console has no words for it. */
export function describeEvent(e: AuditEvent): string {
  const words = WORDS[e.type];
  try {
    return words ? words((e.data ?? {}) as Data) : e.type.replace(/([a-z])([A-Z])/g, '$1 $2');
  } catch {
    return e.type;
  }
}

export const actorOf = (e: AuditEvent): string => {
  const actor = e.metadata?.actor;
  if (!actor) return 'unknown';
  if (actor.startsWith('key:')) return `API key ${actor.slice(4)}`;
  return actor === 'admin-token' ? 'admin token' : actor;
};

/** What caused it: the event it names as cause (if in `all`), else the chain it belongs to. */
export function causeOf(e: AuditEvent, all: AuditEvent[]): string {
  const causation = e.metadata?.causationId;
  if (causation) {
    const cause = all.find((x) => x.id === causation);
    if (cause) return `${cause.type} (${new Date(cause.time).toLocaleTimeString()})`;
  }
  const data = (e.data ?? {}) as Data;
  if (data.trigger === 'webhook' || data.sourceEventId) return `Gusto event ${data.sourceEventId ?? ''}`.trim();
  if (causation) return `event ${causation}`;
  return e.metadata?.correlationId ? `chain ${e.metadata.correlationId}` : '—';
}
