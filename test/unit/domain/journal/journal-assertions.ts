import type { Journal } from '../../../../src/domain/journal';

export const cents = (amount: string): number => {
  const negative = amount.startsWith('-');
  const [whole, frac] = amount.replace('-', '').split('.');
  const c = Number(whole) * 100 + Number(frac);
  return negative ? -c : c;
};

/** Posted together, the original and its reversal leave every account (and subaccount, department, employee) at zero. */
export function expectNetsToZero(original: Journal, reversal: Journal): void {
  const net = new Map<string, number>();
  for (const l of [...original.lines, ...reversal.lines]) {
    const key = `${l.account}|${l.subaccount ?? ''}|${l.department ?? ''}|${l.employeeUuid ?? ''}`;
    net.set(key, (net.get(key) ?? 0) + (l.side === 'debit' ? cents(l.amount) : -cents(l.amount)));
  }
  expect([...net.values()].filter((v) => v !== 0)).toEqual([]);
  expect(reversal.tag).toBe(`gusto-reversal:${original.payrollUuid}`);
  expect(reversal.kind).toBe('reversal');
  expect(reversal.header.description.endsWith(`[gusto-reversal:${original.payrollUuid}]`)).toBe(true);
}
