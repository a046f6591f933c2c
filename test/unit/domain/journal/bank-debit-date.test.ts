/** Bank-mode cash-line memos name the date Gusto debits the withdrawal (issue 14), or say Gusto gave none. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJournal } from '../../../../src/domain/journal';
import { parseMapping } from '../../../../src/domain/mapping';

const dir = join(__dirname, '../../../fixtures/journal');
const fixture = (name: string): any => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const parsed = parseMapping(fixture('bank-example-mapping.json'));
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const memos = (payroll: any): string[] => {
  const result = buildJournal(payroll, parsed.mapping, { mappingVersion: 1 });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.journal.lines
    .filter((l) => /Debit$/.test(l.mappingKey) || l.mappingKey === 'outstandingChecks')
    .map((l) => `${l.mappingKey}: ${l.memo}`);
};

describe('cash-line memo dates', () => {
  it('payroll_status_meta.expected_debit_time: its date, as Gusto writes it; the paper-checks line keeps the check date', () => {
    expect(memos(fixture('bank-example.payroll.json'))).toEqual([
      'childSupportDebit: Gusto withdrawal: child support Gusto remits (child_support_debit), debited 2026-01-21, payroll of check date 2026-01-23',
      'netPayDebit: Gusto withdrawal: net pay by direct deposit (net_pay_debit), debited 2026-01-21, payroll of check date 2026-01-23',
      'taxDebit: Gusto withdrawal: payroll taxes Gusto remits (tax_debit), debited 2026-01-21, payroll of check date 2026-01-23',
      'outstandingChecks: Paper checks Gusto paid but did not withdraw (net pay 1774.24 + reimbursements 45.60), payroll of check date 2026-01-23',
    ]);
  });

  it('payment_speed_changed.current_debit_date wins (Gusto moved the payment)', () => {
    const payroll = fixture('bank-example.payroll.json');
    payroll.payment_speed_changed = {
      original_check_date: '2026-01-23',
      current_check_date: '2026-01-23',
      original_debit_date: '2026-01-21',
      current_debit_date: '2026-01-19',
      reason: 'risk',
    };
    expect(memos(payroll).filter((m) => m.includes('debited 2026-01-19'))).toHaveLength(3);
  });

  it('no debit date in the answer: the memo says so instead of passing the check date off as the withdrawal date', () => {
    const payroll = fixture('bank-example.payroll.json');
    delete payroll.payroll_status_meta;
    expect(memos(payroll)[1]).toBe(
      'netPayDebit: Gusto withdrawal: net pay by direct deposit (net_pay_debit), payroll of check date 2026-01-23 (Gusto gave no debit date)',
    );
  });
});
