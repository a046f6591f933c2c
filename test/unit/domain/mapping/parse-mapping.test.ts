import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  mappingReferences,
  parseMapping,
  resolveAccount,
  V1_ROLES,
  type AccountMapping,
} from '../../../../src/domain/mapping';

const specExample = (): any =>
  JSON.parse(readFileSync(join(__dirname, '../../../fixtures/journal/spec-example-mapping.json'), 'utf8'));
const parsed = (doc: unknown): AccountMapping => {
  const r = parseMapping(doc);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.mapping;
};

describe('parseMapping', () => {
  it("accepts the spec's example as written", () => {
    const m = parsed(specExample());
    expect(m.journal).toEqual({ branch: 'HQ', ledger: 'ACTUAL', detail: 'summary', release: false });
    expect(m.accounts['earnings:Overtime']).toEqual({ account: '60010' });
    expect(m.accounts['deductionLiability:401(k)']).toEqual({ account: '21210' });
    expect(m.subaccountsByDepartment).toEqual({ Engineering: '100000' });
    expect(m.employees).toEqual({
      defaultDepartment: 'ADMIN',
      departments: { Engineering: 'ENG' },
      employeeClass: 'EMPSTAND',
    });
  });

  it('names every bad key, each once', () => {
    const doc = specExample();
    doc.accounts['earnings:Overtime'] = { account: '' };
    doc.accounts.foo = { account: '1' };
    doc.accounts['earnings:'] = { account: '1' };
    doc.accounts.netPay = { account: 10100, acount: 'x' };
    doc.accounts.benefitExpense = '62000';
    doc.accounts.benefitLiability = { account: '21300', subaccount: '' };
    doc.journal.detail = 'line';
    doc.journal.release = 'no';
    doc.journal.extra = 1;
    doc.subaccountsByDepartment.Sales = 5;
    doc.employees.defaultDepartment = '';
    doc.employees.departments.Sales = '';
    doc.more = true;
    const r = parseMapping(doc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(14);
    expect(r.errors).toEqual(
      expect.arrayContaining([
        'accounts.benefitExpense: must be an object { account, subaccount? }',
        'accounts.benefitLiability.subaccount: must be a non-empty string',
        'accounts.earnings:: the component name after "earnings:" must not be empty',
        'accounts.earnings:Overtime.account: must be a non-empty string',
        expect.stringMatching(/^accounts\.foo: unknown role "foo"/),
        'accounts.netPay.account: must be a non-empty string',
        'accounts.netPay.acount: unknown key',
        'employees.defaultDepartment: must be a non-empty string',
        'employees.departments.Sales: must be a non-empty string',
        'journal.detail: must be one of summary, department, employee',
        'journal.extra: unknown key',
        'journal.release: must be true or false',
        'more: unknown key',
        'subaccountsByDepartment.Sales: must be a non-empty string',
      ]),
    );
  });

  it('requires journal and accounts; refuses what is not an object', () => {
    expect(parseMapping({})).toEqual({
      ok: false,
      errors: ['journal: must be an object', 'accounts: must be an object of key → { account, subaccount? }'],
    });
    expect(parseMapping(null)).toEqual({ ok: false, errors: ['mapping: must be an object'] });
    expect(parseMapping([])).toEqual({ ok: false, errors: ['mapping: must be an object'] });
  });

  it('treats keys such as "constructor" and "__proto__" as plain names', () => {
    const doc = JSON.parse(
      '{"journal":{"detail":"summary","release":true},"accounts":{"earnings:constructor":{"account":"1"},"__proto__":{"account":"2"}},"subaccountsByDepartment":{"__proto__":"9","constructor":"8"}}',
    );
    const r = parseMapping(doc);
    expect(r).toEqual({ ok: false, errors: [expect.stringMatching(/^accounts\.__proto__: unknown role "__proto__"/)] });
    delete doc.accounts.__proto__;
    const m = parsed(doc);
    expect(m.subaccountsByDepartment.constructor).toBe('8');
    expect(Object.keys(m.subaccountsByDepartment)).toEqual(['__proto__', 'constructor']);
    expect(resolveAccount(m, 'earnings', 'toString')).toBeNull();
    expect(resolveAccount(m, 'earnings', 'constructor')).toEqual({ account: '1', mappingKey: 'earnings:constructor' });
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ journal: fc.anything(), accounts: fc.dictionary(fc.string(), fc.anything()) }),
        ),
        (doc) => {
          const r = parseMapping(doc);
          if (!r.ok) expect(r.errors.every((e) => typeof e === 'string' && e.includes(':'))).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('resolveAccount: override, then role; subaccount of the override, then the role', () => {
  const m = parsed(specExample());
  it.each([
    ['earnings', 'Overtime', { account: '60010', subaccount: '000000', mappingKey: 'earnings:Overtime' }],
    ['earnings', 'Bonus', { account: '60000', subaccount: '000000', mappingKey: 'earnings' }],
    ['deductionLiability', '401(k)', { account: '21210', mappingKey: 'deductionLiability:401(k)' }],
    ['deductionLiability', 'Medical Insurance', { account: '21200', mappingKey: 'deductionLiability' }],
  ] as const)('%s:%s', (role, component, expected) => {
    expect(resolveAccount(m, role, component)).toEqual(expected);
  });
  it('an override with its own subaccount uses it', () => {
    const doc = specExample();
    doc.accounts['earnings:Overtime'].subaccount = '200000';
    expect(resolveAccount(parsed(doc), 'earnings', 'Overtime')).toEqual({
      account: '60010',
      subaccount: '200000',
      mappingKey: 'earnings:Overtime',
    });
  });
  it('no entry: null', () => {
    const doc = specExample();
    delete doc.accounts.netPay;
    expect(resolveAccount(parsed(doc), 'netPay', 'Net pay')).toBeNull();
  });
});

describe('mappingReferences', () => {
  it('lists every account and subaccount with the key that names it, department ones included', () => {
    const refs = mappingReferences(parsed(specExample()));
    expect(refs).toContainEqual({ kind: 'account', value: '60000', key: 'accounts.earnings.account' });
    expect(refs).toContainEqual({ kind: 'subaccount', value: '000000', key: 'accounts.earnings.subaccount' });
    expect(refs).toContainEqual({ kind: 'account', value: '21210', key: 'accounts.deductionLiability:401(k).account' });
    expect(refs).toContainEqual({ kind: 'subaccount', value: '100000', key: 'subaccountsByDepartment.Engineering' });
    expect(refs.filter((r) => r.kind === 'account')).toHaveLength(11);
    expect(refs.filter((r) => r.kind === 'subaccount')).toHaveLength(2);
    expect(refs.map((r) => r.key)).toEqual([...refs.map((r) => r.key)]); // stable
  });
  it('covers every v1 role', () => {
    const keys = new Set(mappingReferences(parsed(specExample())).map((r) => r.key.split('.')[1].split(':')[0]));
    for (const role of V1_ROLES) expect(keys).toContain(role);
  });
});

describe('parseMapping: the settings added after v1 (issue 14)', () => {
  const v1 = () => JSON.parse(JSON.stringify(specExample()));
  it('a v1 document parses to exactly the v1 shape: no new key appears', () => {
    const r = parseMapping(v1());
    expect(r.ok).toBe(true);
    if (r.ok) expect(Object.keys(r.mapping.journal).sort()).toEqual(['branch', 'detail', 'ledger', 'release']);
  });
  it('accepts cash, entryDate, rounding and splitLiabilitiesByDepartment', () => {
    const doc = v1();
    Object.assign(doc.journal, {
      cash: 'bank',
      entryDate: 'period_end',
      rounding: { toleranceCents: 2 },
      splitLiabilitiesByDepartment: true,
    });
    doc.accounts.netPayDebit = { account: '10200' };
    doc.accounts.rounding = { account: '60000' };
    const r = parseMapping(doc);
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.mapping.journal).toMatchObject({
        cash: 'bank',
        entryDate: 'period_end',
        rounding: { toleranceCents: 2 },
        splitLiabilitiesByDepartment: true,
      });
  });
  it('names each bad value', () => {
    const doc = v1();
    Object.assign(doc.journal, {
      cash: 'cash',
      entryDate: 'today',
      rounding: { toleranceCents: 1.5, extra: 1 },
      splitLiabilitiesByDepartment: 'yes',
    });
    const r = parseMapping(doc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        'journal.cash: must be one of liabilities, bank',
        'journal.entryDate: must be one of check_date, period_end',
        'journal.splitLiabilitiesByDepartment: must be true or false',
        'journal.rounding.extra: unknown key',
        'journal.rounding.toleranceCents: must be a whole number of cents from 0 to 10000',
      ]),
    );
  });
});
