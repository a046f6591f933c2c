import { exampleMapping } from '../../../src/sandbox/example-mapping';
import type { Journal } from '../../../src/domain/journal/journal';

/** The interface spec's example mapping: every account and subaccount exists and is active in the Acumatica sandbox seed. */
export const goodMapping = () => exampleMapping('HEADOFFICE');

export const tinyJournal = (
  payrollUuid: string,
  amounts: Array<[string, string, 'debit' | 'credit']>,
  checkDate: string,
): Journal => ({
  tag: `gusto:${payrollUuid}`,
  payrollUuid,
  kind: 'payroll',
  header: {
    branch: 'HEADOFFICE',
    ledger: 'ACTUAL',
    transactionDate: checkDate,
    description: `Gusto payroll ${checkDate} [gusto:${payrollUuid}]`,
    release: false,
  },
  lines: amounts.map(([account, amount, side]) => ({
    account,
    amount,
    side,
    memo: `${side} ${account}`,
    mappingKey: 'earnings',
  })),
  totals: { debit: '0', credit: '0' },
  mappingVersion: 1,
  warnings: [],
});
