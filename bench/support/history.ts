/**
 * Writes a realistic posting history straight into a SQLite event store file (the store's own schema,
 * one bulk transaction per 10,000 postings): per posting the webhook's inbox stream (2 events) and the
 * posting stream (6 events: requested, fetched, built, claim, created, posted) — 8 events and ~10 KB,
 * like the operator's copies in issue #12 — then the inbox dispatcher's and accrual process's checkpoints at the head. Used by bench/growth.ts and the read-model tests.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { SCHEMA_SQL } from '../../src/adapters/outbound/event-store/sqlite/schema';

export interface HistoryOptions {
  postings: number;
  /** Postings are spread over these connections (round robin). Default: one. */
  connectionIds?: string[];
  /** Journal lines per posting (≈ 190 bytes each). Default 30 (≈ 10 KB per posting with the rest). */
  linesPerJournal?: number;
  /** First payroll's time; each posting is one minute later. */
  startAt?: Date;
}

const uuidOf = (seed: string): string => {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The inbox dispatcher's and the accrual process's checkpoints at the log's head. Returns events written. */
export function writeCheckpoints(db: Database.Database): number {
  const head = (db.prepare('SELECT MAX(position) AS head FROM events').get() as { head: number }).head;
  const at = new Date().toISOString();
  const insert = db.prepare(
    'INSERT INTO events (stream, revision, id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const streams = ['checkpoint-inbox-dispatcher', 'checkpoint-payroll-accruals'];
  for (const checkpoint of streams) {
    const revision = (db.prepare('SELECT COUNT(*) AS n FROM events WHERE stream = ?').get(checkpoint) as { n: number })
      .n;
    insert.run(
      checkpoint,
      revision,
      uuidOf(`${checkpoint}-${revision}`),
      'CheckpointStored',
      JSON.stringify({ position: String(head), at }),
      JSON.stringify({ actor: 'system', at }),
      at,
    );
  }
  return streams.length;
}

/** Appends the history to `file` (created when missing). Returns the number of events written. */
export function writeHistory(file: string, options: HistoryOptions): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec(SCHEMA_SQL);
  const insert = db.prepare(
    'INSERT INTO events (stream, revision, id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const connections = options.connectionIds ?? [uuidOf('history-connection')];
  const lines = options.linesPerJournal ?? 30;
  const start = (options.startAt ?? new Date('2025-01-01T00:00:00Z')).getTime();
  let written = 0;

  const one = (i: number): void => {
    const connectionId = connections[i % connections.length]!;
    const payrollUuid = uuidOf(`payroll-${i}`);
    const webhookUuid = uuidOf(`webhook-${i}`);
    const at = (k: number) => new Date(start + i * 60_000 + k * 10).toISOString();
    const meta = (k: number, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ at: at(k), actor: 'webhook', correlationId: webhookUuid, causationId: webhookUuid, ...extra });
    const inbox = `gusto-webhook-${webhookUuid}`;
    const stream = `payroll-posting-${connectionId}-${payrollUuid}`;
    const batchNbr = String(100000 + i).padStart(6, '0');
    const journal = {
      tag: `gusto:${payrollUuid}`,
      payrollUuid,
      kind: 'payroll',
      header: {
        branch: 'HQ',
        ledger: 'ACTUAL',
        transactionDate: '2025-01-17',
        description: `Gusto payroll 2025-01-04–2025-01-17 [gusto:${payrollUuid}]`,
        release: false,
      },
      lines: Array.from({ length: lines }, (_, n) => ({
        account: String(60000 + (n % 12) * 10),
        subaccount: '000000',
        side: n % 2 === 0 ? 'debit' : 'credit',
        amount: '1234.50',
        memo: `Gross earnings, employee ${n} of the payroll`,
        mappingKey: n % 2 === 0 ? 'earnings' : 'netPay',
        department: 'Engineering',
      })),
      totals: { debit: String((lines / 2) * 1234.5), credit: String((lines / 2) * 1234.5) },
      mappingVersion: 1,
      warnings: [],
    };
    const rows: Array<[string, number, string, unknown, string]> = [
      [
        inbox,
        0,
        'GustoWebhookReceived',
        {
          eventUuid: webhookUuid,
          eventType: 'payroll.processed',
          resourceUuid: payrollUuid,
          entityUuid: payrollUuid,
          companyUuid: connectionId,
          timestamp: at(0),
        },
        meta(0),
      ],
      [
        stream,
        0,
        'PostingRequested',
        { connectionId, payrollUuid, trigger: 'webhook', sourceEventId: webhookUuid },
        meta(1, { connectionId }),
      ],
      [inbox, 1, 'InboxEventDispatched', { connectionId, payrollUuid, command: 'RequestPosting' }, meta(2)],
      [
        stream,
        1,
        'PayrollFetched',
        {
          contentHash: createHash('sha256').update(payrollUuid).digest('hex'),
          checkDate: '2025-01-17',
          payPeriod: { startDate: '2025-01-04', endDate: '2025-01-17' },
          offCycle: false,
          totals: { gross_pay: '18517.50', net_pay: '13000.00', employer_taxes: '1400.00' },
          employees: lines,
          compensationPages: 1,
        },
        meta(3),
      ],
      [stream, 2, 'JournalBuilt', { journal, mappingVersion: 1 }, meta(4)],
      [
        stream,
        3,
        'JournalCreationStarted',
        { step: 'create_journal', leaseUntil: at(200), claimant: uuidOf(`claim-${i}`) },
        meta(5),
      ],
      [stream, 4, 'JournalCreated', { batchNbr, status: 'Balanced' }, meta(6)],
      [stream, 5, 'PayrollPosted', { batchNbr, mappingVersion: 1 }, meta(7)],
    ];
    for (const [s, revision, type, data, metadata] of rows) {
      insert.run(s, revision, uuidOf(`${s}-${revision}`), type, JSON.stringify(data), metadata, at(8));
      written += 1;
    }
  };

  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) one(i);
  });
  const offset = (db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'PostingRequested'").get() as { n: number })
    .n;
  for (let i = 0; i < options.postings; i += 10_000) batch(offset + i, offset + Math.min(options.postings, i + 10_000));
  // A running service's inbox dispatcher and accrual process keep their checkpoints near the head (every
  // webhook above was dispatched, every posting seen): without them the first start would re-dispatch the
  // whole history's webhooks and plan every posting's accruals again.
  written += writeCheckpoints(db);
  db.close();
  return written;
}
