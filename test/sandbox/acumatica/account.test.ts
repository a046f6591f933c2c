import type { AcumaticaSandbox } from '../../../src/sandbox/acumatica';
import { call, entity, fixtureJson, keyPaths, q, sorted, started } from './support';

let sb: AcumaticaSandbox;
let tok: string;
beforeEach(async () => {
  ({ sb, tok } = await started());
});
afterEach(() => sb.close());
const get = (path: string) => call(sb, 'GET', entity(path), { token: tok });
const cds = (rows: Array<{ AccountCD: { value: string } }>): string[] => rows.map((r) => r.AccountCD.value);

const SAMPLE_SELECT =
  'AccountCD,AccountClass,AccountID,Active,CashAccount,CurrencyID,Description,LastModifiedDateTime,PostOption,Type,UseDefaultSubaccount';

describe('Account', () => {
  it('seeds every account of the spec example mapping, active, plus an inactive one', async () => {
    const all = cds((await get('/Account')).json);
    for (const cd of [
      '60000',
      '60010',
      '61000',
      '21000',
      '21100',
      '21200',
      '21210',
      '62000',
      '21300',
      '64000',
      '10100',
    ])
      expect(all).toContain(cd);
    for (const cd of ['11000', '20000', '40000']) expect(all).toContain(cd); // AR, AP, revenue
    const active = cds((await get(`/Account?${q('Active eq true')}`)).json);
    expect(active).not.toContain('69000');
    expect(all).toContain('69000');
  });
  it('$select answers exactly the sample list shape', async () => {
    const r = await get(`/Account?$select=${SAMPLE_SELECT}&$top=6`);
    expect(r.status).toBe(200);
    expect(r.json).toHaveLength(6);
    expect(sorted(keyPaths(r.json))).toEqual(sorted(keyPaths(fixtureJson('account.get-list.response.json'))));
    expect(r.json[0].CurrencyID).toEqual({});
    expect(r.json.map((x: { rowNumber: number }) => x.rowNumber)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('deactivating an account (knob or helper) shows in Active and LastModifiedDateTime filters', async () => {
    const mark = sb.clock.now().toISOString();
    sb.clock.advance(1000);
    sb.knobs.setAccountActive('61000', false);
    const active = cds((await get(`/Account?${q('Active eq true')}`)).json);
    expect(active).not.toContain('61000');
    const changed = await get(
      `/Account?${q(`LastModifiedDateTime gt datetimeoffset'${mark}'`)}&$select=AccountCD,Active`,
    );
    expect(changed.json).toEqual([
      expect.objectContaining({ AccountCD: { value: '61000' }, Active: { value: false } }),
    ]);
    sb.activateAccount('61000');
    expect(cds((await get(`/Account?${q('Active eq true')}`)).json)).toContain('61000');
  });
  it('by key AccountCD; unknown → 500', async () => {
    expect((await get('/Account/10100')).json.Description.value).toBe('Company Checking Account');
    expect((await get('/Account/99999')).status).toBe(500);
  });
  it("filters with startswith and Type; '+' in a query string is a space (encode it as %2B)", async () => {
    const r = await get(`/Account?${q("startswith(AccountCD,'212') and Type eq 'Liability'")}`);
    expect(cds(r.json)).toEqual(['21200', '21210']);
    const plus = await get("/Account?$filter=LastModifiedDateTime gt datetimeoffset'2024-11-01T09:15:30+00:00'");
    expect(plus.status).toBe(400);
  });
  it('PUT is not offered by the sandbox (accounts are edited with helpers)', async () => {
    expect((await call(sb, 'PUT', entity('/Account'), { token: tok, body: {} })).status).toBe(405);
  });
});

describe('Subaccount', () => {
  it('lists the seeded subaccounts including 000000 and 100000; one inactive', async () => {
    const r = await get('/Subaccount');
    const subs = r.json.map((s: { SubaccountCD: { value: string } }) => s.SubaccountCD.value);
    expect(subs).toEqual(expect.arrayContaining(['000000', '100000', 'ENG000', '900000']));
    expect(
      r.json.find((s: { SubaccountCD: { value: string } }) => s.SubaccountCD.value === '900000').Active.value,
    ).toBe(false);
    expect((await get('/Subaccount/100000')).json.Description.value).toBe('Engineering');
  });
  it('answers 403 when the Subaccounts feature is off', async () => {
    sb.knobs.subaccountsFeature = false;
    expect((await get('/Subaccount')).status).toBe(403);
  });
});

describe('FinancialPeriod', () => {
  it("GET /FinancialPeriod?$expand=Details&$filter=FinancialYear eq '2024' shows closed periods from the knob", async () => {
    sb.knobs.closedPeriods.add('122024');
    const r = await get(`/FinancialPeriod?$expand=Details&${q("FinancialYear eq '2024'")}`);
    expect(r.status).toBe(200);
    expect(r.json).toHaveLength(1);
    const details = r.json[0].Details as Array<{
      FinancialPeriodID: { value: string };
      Status: { value: string };
      LengthInDays: { value: number };
    }>;
    expect(details).toHaveLength(12);
    expect(details[11]).toMatchObject({ FinancialPeriodID: { value: '122024' }, Status: { value: 'Closed' } });
    expect(details[0].Status.value).toBe('Open');
    expect(details[1].LengthInDays.value).toBe(29);
  });
});
