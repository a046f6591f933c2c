/** JournalTransaction (GL301000): create/update by PUT, get by key or filter, ReleaseJournalTransaction. */
import BigNumber from 'bignumber.js';
import { randomUUID } from 'node:crypto';
import { Ctx, notFoundByKey, send, sendError } from './http';
import { isObject, JsonValue } from './json';
import { sendList, sendOne } from './query';
import { applyDetails, assign, dateOnly, EntityInput, JournalSchema, Rec, render } from './schema';
import { YTD_NET_INCOME } from './seed';
import type { Store } from './store';
import type { SandboxKnobs } from './types';
import { required } from '../../domain/shared/required';

const ENTITY = 'JournalTransaction';
const DETAIL = required(JournalSchema.details, 'the journal details').Details;

/** Round to the cent like the currency precision does; integer cents for comparisons. */
const cents = (text: string | number | boolean | null): bigint =>
  BigInt(new BigNumber(String(text ?? 0)).decimalPlaces(2, BigNumber.ROUND_HALF_UP).times(100).toFixed(0));
const money = (text: string | number | boolean | null): string =>
  new BigNumber(String(text ?? 0)).toFixed(2, BigNumber.ROUND_HALF_UP);

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
    const outOfBalance = this.validate(cand);
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

  /** Field errors onto the candidate; returns true when debits ≠ credits and the batch is not on hold. */
  private validate(rec: Rec): boolean {
    const err = (r: Rec, field: string, text: string): void => {
      r.errors = { ...(r.errors ?? {}), [field]: text };
    };
    if (rec.f.Module !== 'GL')
      err(rec, 'Module', 'Error: Only GL batches can be created on the Journal Transactions form.');
    if (!this.store.branches.has(String(rec.f.BranchID)))
      err(rec, 'BranchID', "'Branch' cannot be found in the system.");
    if (!this.store.ledgers.has(String(rec.f.LedgerID)))
      err(rec, 'LedgerID', "'Ledger' cannot be found in the system.");
    const period = normalizePeriod(rec.f.PostPeriod);
    if (!period) err(rec, 'PostPeriod', 'Error: Financial Period cannot be found in the system.');
    else {
      rec.f.PostPeriod = period;
      const year = Number(period.slice(2));
      const shown = `${period.slice(0, 2)}-${period.slice(2)}`;
      if (year < 2015 || year > 2035) err(rec, 'PostPeriod', `Error: The ${shown} financial period is inactive.`);
      else if (this.knobs.closedPeriods.has(period))
        err(rec, 'PostPeriod', `Error: The ${shown} financial period is closed.`);
    }
    let debit = 0n,
      credit = 0n;
    for (const line of rec.details.Details) {
      line.f.DebitAmount = money(line.f.DebitAmount);
      line.f.CreditAmount = money(line.f.CreditAmount);
      debit += cents(line.f.DebitAmount);
      credit += cents(line.f.CreditAmount);
      if (line.f.BranchID !== null && !this.store.branches.has(String(line.f.BranchID)))
        err(line, 'BranchID', "'Branch' cannot be found in the system.");
      const acct = this.store.account(line.f.Account as string | null);
      if (line.f.Account === null) err(line, 'Account', "'Account' cannot be empty.");
      else if (!acct) err(line, 'Account', "'Account' cannot be found in the system.");
      else if (!acct.f.Active) err(line, 'Account', 'Account is inactive.');
      else if (acct.f.AccountCD === YTD_NET_INCOME)
        err(line, 'Account', 'Cannot post transactions directly to Year to Date Net Income.');
      line.f.Description = acct ? acct.f.Description : null;
      const sub = this.store.subaccount(line.f.Subaccount as string | null);
      if (!sub) err(line, 'Subaccount', "Error: 'Subaccount' cannot be found in the system.");
      else if (!sub.f.Active) err(line, 'Subaccount', `Subaccount ${String(sub.f.SubaccountCD)} is inactive.`);
    }
    return !rec.f.Hold && debit !== credit;
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

const periodOf = (iso: string): string => `${iso.slice(5, 7)}${iso.slice(0, 4)}`;
function normalizePeriod(v: unknown): string | undefined {
  const m = /^(0[1-9]|1[0-2])-?(\d{4})$/.exec(String(v ?? ''));
  return m ? `${m[1]}${m[2]}` : undefined;
}
