/** JournalTransaction (GL301000): create/update by PUT, get by key or filter, ReleaseJournalTransaction. */
import { randomUUID } from 'node:crypto';
import { Ctx, notFoundByKey, send, sendError } from './http';
import { isObject, JsonValue } from './json';
import { sendList, sendOne } from './query';
import { applyDetails, assign, dateOnly, EntityInput } from './entity-input';
import { render } from './render';
import { periodOf, validateBatch } from './journal-validation';
import { JournalSchema, Rec } from './schema';
import type { Store } from './store';
import type { SandboxKnobs } from './types';
import { required } from '../../domain/shared/required';

const ENTITY = 'JournalTransaction';
const DETAIL = required(JournalSchema.details, 'the journal details').Details;

interface ReleaseAction {
  batchId: string;
  pollsLeft: number;
  sessionId?: string;
  startedAt: number;
  /** set once the release ran (by a poll or in the background); undefined = success */
  outcome?: { failure?: string };
}

/** A release nobody polls still finishes in the background after this much sandbox time. */
export const RELEASE_BACKGROUND_MS = 30_000;

export class Journals {
  readonly schema = JournalSchema;
  private readonly actions = new Map<string, ReleaseAction>();
  constructor(
    private readonly store: Store,
    private readonly knobs: SandboxKnobs,
  ) {}

  list(ctx: Ctx): void {
    sendList(ctx, ENTITY, JournalSchema, this.store.journals);
  }

  /** `/JournalTransaction/GL/000482` or `/JournalTransaction/{id}`. */
  get(ctx: Ctx, keys: string[]): void {
    const rec = this.find(keys);
    if (!rec) return notFoundByKey(ctx);
    sendOne(ctx, ENTITY, JournalSchema, rec);
  }

  private find(keys: string[]): Rec | undefined {
    if (keys.length === 1) return this.store.journals.find((j) => j.id.toLowerCase() === keys[0].toLowerCase());
    if (keys.length === 2) return this.store.journals.find((j) => j.f.Module === keys[0] && j.f.BatchNbr === keys[1]);
    return undefined;
  }

  put(ctx: Ctx, input: EntityInput): void {
    const target = input.id
      ? this.find([input.id])
      : input.f.BatchNbr
        ? this.find([String(input.f.Module ?? 'GL'), String(input.f.BatchNbr)])
        : undefined;
    if (ctx.req.headers['if-none-match'] === '*' && target) return sendError(ctx, 412, 'The record already exists.');
    if (ctx.req.headers['if-match'] === '*' && !target) return sendError(ctx, 412, 'The record does not exist.');
    const now = this.store.nowIso();
    const cand: Rec = target ? structuredClone(target) : this.store.newRec(JournalSchema);
    if (target && (target.f.Status === 'Posted' || target.f.Status === 'Unposted')) {
      cand.error = 'The batch has been released and cannot be edited.';
      return send(
        ctx,
        422,
        render(cand, JournalSchema, { base: ctx.base, entity: ENTITY, expand: ['Details'], rowNumber: 1 }),
      );
    }
    if (!target) {
      Object.assign(cand.f, {
        Module: 'GL',
        BranchID: 'HEADOFFICE',
        LedgerID: 'ACTUAL',
        CurrencyID: 'USD',
        Hold: this.knobs.holdBatchesOnEntry,
        TransactionDate: businessDate(ctx) ?? `${now.slice(0, 10)}T00:00:00.000Z`,
      });
    }
    if (typeof input.f.TransactionDate === 'string')
      input.f.TransactionDate = dateOnly(input.f.TransactionDate, this.knobs.dateOnlyShiftHours);
    const {
      BatchNbr: _ignored,
      Status: _readOnly,
      CreatedDateTime: _c,
      LastModifiedDateTime: _l,
      ...writable
    } = input.f;
    assign(cand, { ...input, f: writable }, JournalSchema);
    if (input.f.PostPeriod === undefined && (!target || input.f.TransactionDate !== undefined)) {
      cand.f.PostPeriod = periodOf(String(cand.f.TransactionDate));
    }
    applyDetails(
      cand,
      'Details',
      input.details.Details,
      () => this.store.newRec(DETAIL),
      (line) => {
        Object.assign(line.f, {
          BranchID: cand.f.BranchID,
          DebitAmount: '0.00',
          CreditAmount: '0.00',
          Qty: '0.00',
          IsNonPM: false,
          NonBillable: false,
          Project: 'X',
          Subaccount: '000000',
        });
      },
    );
    const outOfBalance = validateBatch(cand, this.store, this.knobs.closedPeriods);
    const hasErrors = cand.errors !== undefined || cand.details.Details.some((l) => l.errors);
    if (!hasErrors && outOfBalance && this.knobs.outOfBalanceAs === 500)
      return sendError(ctx, 500, 'Batch is out of balance, please review.');
    cand.f.Status = cand.f.Hold ? 'On Hold' : 'Balanced';
    if (hasErrors || outOfBalance) {
      const echo = target ? cand : echoOf(cand, input);
      echo.error =
        outOfBalance && !hasErrors
          ? 'Batch is out of balance, please review.'
          : `${target ? 'Updating' : 'Inserting'} 'Batch' record raised at least one error. Please review the errors.`;
      return send(
        ctx,
        422,
        render(echo, JournalSchema, {
          base: ctx.base,
          entity: ENTITY,
          expand: ['Details'],
          rowNumber: 1,
          omitNull: true,
        }),
      );
    }
    cand.f.LastModifiedDateTime = now;
    if (!target) {
      const supplied =
        this.knobs.honourSuppliedKeys && typeof input.f.BatchNbr === 'string' ? input.f.BatchNbr : undefined;
      cand.f.BatchNbr = supplied ?? this.store.nextBatchNbr();
      cand.f.CreatedDateTime = now;
      this.store.journals.push(cand);
    } else this.store.journals[this.store.journals.indexOf(target)] = cand;
    sendOne(ctx, ENTITY, JournalSchema, cand);
  }

  release(ctx: Ctx, body: JsonValue): void {
    const entity = isObject(body) && isObject(body.entity) ? body.entity : undefined;
    const val = (k: string): string | undefined => {
      const w = entity?.[k];
      return isObject(w) && typeof w.value === 'string' ? w.value : undefined;
    };
    const id = typeof entity?.id === 'string' ? entity.id : undefined;
    const batch = id ? this.find([id]) : this.find([val('Module') ?? 'GL', val('BatchNbr') ?? '']);
    if (!batch) return notFoundByKey(ctx);
    if (this.knobs.releasePolls <= 0) {
      const failure = this.performRelease(batch);
      return failure ? sendError(ctx, 500, failure) : send(ctx, 204);
    }
    const guid = randomUUID();
    this.actions.set(guid, {
      batchId: batch.id,
      pollsLeft: this.knobs.releasePolls,
      sessionId: ctx.sessionId,
      startedAt: Date.parse(this.store.nowIso()),
    });
    send(ctx, 202, undefined, { Location: `${ctx.base}/${ENTITY}/ReleaseJournalTransaction/status/${guid}` });
  }

  /** Finish releases that ran long enough in the background (nobody polled them). */
  sweep(): void {
    const now = Date.parse(this.store.nowIso());
    for (const a of this.actions.values()) {
      if (!a.outcome && a.startedAt + RELEASE_BACKGROUND_MS <= now)
        a.outcome = { failure: this.releaseById(a.batchId) };
    }
  }

  /** Whether a release is still running in this session (then only its status poll is served). */
  runningInSession(sessionId: string | undefined): boolean {
    return sessionId !== undefined && [...this.actions.values()].some((a) => a.sessionId === sessionId && !a.outcome);
  }

  status(ctx: Ctx, guid: string): void {
    const action = this.actions.get(guid);
    if (!action) return send(ctx, 204);
    if (!action.outcome && action.pollsLeft > 1) {
      action.pollsLeft--;
      return send(ctx, 202, undefined, { Location: `${ctx.base}/${ENTITY}/ReleaseJournalTransaction/status/${guid}` });
    }
    this.actions.delete(guid);
    const failure = action.outcome ? action.outcome.failure : this.releaseById(action.batchId);
    return failure ? sendError(ctx, 500, failure) : send(ctx, 204);
  }

  private releaseById(batchId: string): string | undefined {
    const batch = this.store.journals.find((j) => j.id === batchId);
    return batch ? this.performRelease(batch) : 'No entity satisfies the condition.';
  }

  private performRelease(batch: Rec): string | undefined {
    if (batch.f.Status === 'On Hold') return 'The document is on hold and cannot be released.';
    if (batch.f.Status !== 'Balanced')
      return `The document status is ${String(batch.f.Status)}; it cannot be released.`;
    const p = String(batch.f.PostPeriod);
    if (this.knobs.closedPeriods.has(p)) return `The ${p.slice(0, 2)}-${p.slice(2)} financial period is closed.`;
    const inactive = batch.details.Details.find(
      (l) => this.store.account(l.f.Account as string | null)?.f.Active === false,
    );
    if (inactive) return `Account ${String(inactive.f.Account)} is inactive.`;
    batch.f.Status = this.knobs.autoPostOnRelease ? 'Posted' : 'Unposted';
    batch.f.LastModifiedDateTime = this.store.nowIso();
    return undefined;
  }
}

/** `PX-CbApiBusinessDate: 2025/01/31` (any date format) → that date, which new batches default to. */
function businessDate(ctx: Ctx): string | undefined {
  const h = ctx.req.headers['px-cbapibusinessdate'];
  const m = typeof h === 'string' ? /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(h.trim()) : null;
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}T00:00:00.000Z` : undefined;
}

/** 422 echo of an insert: what was sent (normalized) plus BatchNbr `<NEW>`, Status, PostPeriod and the errors. */
function echoOf(cand: Rec, input: EntityInput): Rec {
  const pick = (rec: Rec, sent: EntityInput | undefined, extra: string[]): Rec => {
    const keep = new Set([...Object.keys(sent?.f ?? {}), ...extra, ...Object.keys(rec.errors ?? {})]);
    return {
      ...rec,
      f: Object.fromEntries(Object.entries(rec.f).filter(([k]) => keep.has(k))),
      linked: {},
      details: { Details: [] },
    };
  };
  const echo = pick(cand, input, ['BatchNbr', 'Status', 'PostPeriod']);
  echo.f.BatchNbr = '<NEW>';
  echo.details.Details = cand.details.Details.map((line, i) => pick(line, input.details.Details?.[i], []));
  return echo;
}
