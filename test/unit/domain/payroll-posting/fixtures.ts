import type { Journal } from '../../../../src/domain/journal/journal';
import type { PayrollFacts, PayrollPostingEvent } from '../../../../src/domain/payroll-posting/events';

export const CONNECTION = 'conn-1';
export const PAYROLL = '3f1c2a9b-0000-4000-8000-000000000001';

export const journal = (over: Partial<Journal['header']> = {}): Journal => ({
  tag: `gusto:${PAYROLL}`,
  payrollUuid: PAYROLL,
  kind: 'payroll',
  header: { transactionDate: '2026-01-23', description: `Gusto payroll [gusto:${PAYROLL}]`, release: false, ...over },
  lines: [
    { account: '60000', side: 'debit', amount: '1000.00', memo: 'Gross wages', mappingKey: 'earnings' },
    { account: '10100', side: 'credit', amount: '800.00', memo: 'Net pay', mappingKey: 'netPay' },
    { account: '21100', side: 'credit', amount: '200.00', memo: 'Employee taxes', mappingKey: 'employeeTaxLiability' },
  ],
  totals: { debit: '1000.00', credit: '1000.00' },
  mappingVersion: 1,
  warnings: [],
});

export const facts: PayrollFacts = {
  contentHash: 'abc',
  checkDate: '2026-01-23',
  offCycle: false,
  totals: { gross_pay: '1000.00', net_pay: '800.00' },
  employees: 1,
};

export const requested: PayrollPostingEvent = {
  type: 'PostingRequested',
  data: { connectionId: CONNECTION, payrollUuid: PAYROLL, trigger: 'webhook', sourceEventId: 'evt-1' },
};
export const fetched: PayrollPostingEvent = { type: 'PayrollFetched', data: facts };
export const built = (j: Journal = journal()): PayrollPostingEvent => ({
  type: 'JournalBuilt',
  data: { journal: j, mappingVersion: 1 },
});
export const created: PayrollPostingEvent = {
  type: 'JournalCreated',
  data: { batchNbr: '000123', status: 'Balanced' },
};
export const postedEvent: PayrollPostingEvent = {
  type: 'PayrollPosted',
  data: { batchNbr: '000123', mappingVersion: 1 },
};
export const reversalRequested: PayrollPostingEvent = {
  type: 'ReversalRequested',
  data: { trigger: 'webhook', sourceEventId: 'evt-9' },
};
