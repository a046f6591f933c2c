import type { AcumaticaSandbox } from '../../../src/sandbox/acumatica';
import { call, entity, fixture, fixtureJson, keyPaths, q, started } from './support';

let sb: AcumaticaSandbox;
let tok: string;
beforeEach(async () => {
  ({ sb, tok } = await started());
});
afterEach(() => sb.close());

const EXPAND = '$expand=ContactInfo,ContactInfo/Address,EmployeeSettings,FinancialSettings,EmploymentHistory';
const put = (body: unknown, query = `?${EXPAND}`) => call(sb, 'PUT', entity(`/Employee${query}`), { token: tok, body });
const get = (path: string) => call(sb, 'GET', entity(path), { token: tok });
const hire = () => put(fixture('employee.put.request.json'));
const GUSTO_UUID = '7c2e9f41-0b6d-4f3a-a1e8-2d9c5b4a3e10';

describe('Employee PUT (create)', () => {
  it('creates the sample new hire: auto EmployeeID, Active, class defaults, history line; sample response keys present', async () => {
    const r = await hire();
    expect(r.status).toBe(200);
    expect(r.json.EmployeeID.value).toBe('EP00000003'); // two hand-keyed employees are seeded
    expect(r.json.EmployeeName.value).toBe('Priya Raman');
    expect(r.json.Status.value).toBe('Active');
    expect(r.json.FinancialSettings.APAccount.value).toBe('20000');
    expect(r.json.FinancialSettings.ExpenseSubaccount.value).toBe('ENG000');
    expect(r.json.EmploymentHistory[0]).toMatchObject({
      LineNbr: { value: 1 },
      StartReason: { value: 'New Hire' },
      Active: { value: true },
      StartDate: { value: '2025-01-06T00:00:00+00:00' },
      EndDate: {},
    });
    const got = keyPaths(r.json);
    const missing = [...keyPaths(fixtureJson('employee.put.response.json'))].filter((k) => !got.has(k));
    expect(missing).toEqual([]);
    expect(sb.records.employees()).toHaveLength(3);
  });
  it('DepartmentID is required → 422 with the field error; unknown department → 422', async () => {
    const body = fixtureJson<Record<string, Record<string, unknown>>>('employee.put.request.json');
    delete body.EmployeeSettings.DepartmentID;
    const r = await put(body);
    expect(r.status).toBe(422);
    expect(r.json.error).toBe("Inserting 'Employee' record raised at least one error. Please review the errors.");
    expect(r.json.EmployeeSettings.DepartmentID).toEqual({ error: "'Department ID' cannot be empty." });
    body.EmployeeSettings.DepartmentID = { value: 'MARKETING' };
    const unknown = await put(body);
    expect(unknown.status).toBe(422);
    expect(unknown.json.EmployeeSettings.DepartmentID.error).toMatch(/cannot be found/);
    for (const d of ['ADMIN', 'ENG', 'SALES', 'OPS', 'FIN']) {
      body.EmployeeSettings.DepartmentID = { value: d };
      expect((await put(body)).status).toBe(200);
    }
  });
  it('an unwrapped field → 400; an invalid Status → 422', async () => {
    const raw = fixture('employee.put.request.json').replace(
      '"Status": {\n    "value": "Active"\n  }',
      '"Status": "Active"',
    );
    expect((await put(raw)).status).toBe(400);
    const bad = await put(fixture('employee.put.request.json').replace('"value": "Active"', '"value": "Fired"'));
    expect(bad.status).toBe(422);
    expect(bad.json.Status.error).toMatch(/allowed values/);
  });
});

describe('Employee GET', () => {
  it('finds by EmployeeSettings/EmployeeRefNbr and by ContactInfo/Email; $select on linked fields', async () => {
    await hire();
    const byRef = await get(
      `/Employee?$expand=EmployeeSettings&${q(`EmployeeSettings/EmployeeRefNbr eq '${GUSTO_UUID}'`)}&$select=EmployeeID,Status,EmployeeSettings/EmployeeRefNbr`,
    );
    expect(byRef.status).toBe(200);
    expect(byRef.json).toHaveLength(1);
    expect(Object.keys(byRef.json[0].EmployeeSettings).filter((k) => /^[A-Z]/.test(k))).toEqual(['EmployeeRefNbr']);
    expect(byRef.json[0].ContactInfo).toBeUndefined();
    const byEmail = await get(`/Employee?$expand=ContactInfo&${q("ContactInfo/Email eq 'PRIYA.RAMAN@acme.example'")}`);
    expect(byEmail.json.map((e: { EmployeeID: { value: string } }) => e.EmployeeID.value)).toEqual(['EP00000003']);
    expect((await get(`/Employee?${q("EmployeeSettings/EmployeeRefNbr eq 'nobody'")}`)).json).toEqual([]);
  });
  it('optimizationFailsOnLinkedFilter: linked-entity filters answer 500 "Optimization cannot be performed"', async () => {
    await hire();
    sb.knobs.optimizationFailsOnLinkedFilter = true;
    const r = await get(`/Employee?${q(`EmployeeSettings/EmployeeRefNbr eq '${GUSTO_UUID}'`)}`);
    expect(r.status).toBe(500);
    expect(r.json.exceptionMessage).toBe(
      'Optimization cannot be performed.The following fields cause the error: EmployeeSettings/EmployeeRefNbr',
    );
    const fallback = await get('/Employee?$expand=EmployeeSettings&$select=EmployeeID,EmployeeSettings/EmployeeRefNbr');
    expect(
      fallback.json.filter(
        (e: { EmployeeSettings: { EmployeeRefNbr: { value?: string } } }) =>
          e.EmployeeSettings.EmployeeRefNbr.value === GUSTO_UUID,
      ),
    ).toHaveLength(1);
  });
  it('by key EmployeeID (and id); unknown → 500 NoEntitySatisfiesTheCondition', async () => {
    const created = (await hire()).json;
    expect((await get('/Employee/EP00000003?$expand=EmploymentHistory')).json.EmploymentHistory).toHaveLength(1);
    expect((await get(`/Employee/${created.id}`)).json.EmployeeID.value).toBe('EP00000003');
    expect((await get('/Employee/EP99999999')).status).toBe(500);
  });
});

describe('terminate and rehire (reference §4.8)', () => {
  it('terminate: Status Inactive + the active line closed; rehire: new Rehire line + Active', async () => {
    const created = (await hire()).json;
    const lineId = created.EmploymentHistory[0].id;
    const term = fixture('employee.terminate.put.request.json')
      .replace('EP00000042', 'EP00000003')
      .replace('536a2c10-9d3b-ef11-8c6a-000d3a5b7c21', lineId);
    const t = await put(term, '?$expand=EmploymentHistory');
    expect(t.status).toBe(200);
    expect(t.json.Status.value).toBe('Inactive');
    expect(t.json.EmploymentHistory).toHaveLength(1);
    expect(t.json.EmploymentHistory[0]).toMatchObject({
      Active: { value: false },
      Terminated: { value: true },
      TerminationReason: { value: 'Resignation' },
      EndDate: { value: '2025-03-14T00:00:00+00:00' },
      RehireEligible: { value: true },
    });
    const rehire = await put(
      {
        EmployeeID: { value: 'EP00000003' },
        Status: { value: 'Active' },
        EmploymentHistory: [
          {
            PositionID: { value: 'SOFTENG' },
            StartDate: { value: '2025-09-01' },
            StartReason: { value: 'Rehire' },
            Active: { value: true },
          },
        ],
      },
      '?$expand=EmploymentHistory',
    );
    expect(rehire.status).toBe(200);
    expect(rehire.json.Status.value).toBe('Active');
    expect(
      rehire.json.EmploymentHistory.map((l: { LineNbr: { value: number }; StartReason: { value: string } }) => [
        l.LineNbr.value,
        l.StartReason.value,
      ]),
    ).toEqual([
      [1, 'New Hire'],
      [2, 'Rehire'],
    ]);
    expect(sb.records.employees()).toHaveLength(3);
  });
  it('a second active position is refused', async () => {
    await hire();
    const r = await put(
      {
        EmployeeID: { value: 'EP00000003' },
        EmploymentHistory: [{ StartDate: { value: '2025-09-01' }, StartReason: { value: 'Rehire' } }],
      },
      '?$expand=EmploymentHistory',
    );
    expect(r.status).toBe(422);
    expect(r.json.EmploymentHistory[1].Active.error).toMatch(/only one active position/);
  });
  it('an update bumps LastModifiedDateTime; a change by hand too, visible to a LastModifiedDateTime filter', async () => {
    const created = (await hire()).json;
    sb.advance(60_000);
    const mark = sb.clock.now().toISOString();
    sb.clock.advance(60_000);
    sb.editEmployee('EP00000003', { LastName: 'Raman-Iyer', Email: 'priya@acme.example' });
    const changed = await get(`/Employee?$expand=ContactInfo&${q(`LastModifiedDateTime gt datetimeoffset'${mark}'`)}`);
    expect(changed.json).toHaveLength(1);
    expect(changed.json[0].EmployeeName.value).toBe('Priya Raman-Iyer');
    expect(changed.json[0].LastModifiedDateTime.value).not.toBe(created.LastModifiedDateTime.value);
    const upd = await put(
      { id: created.id, ContactInfo: { Title: { value: 'Staff Engineer' } } },
      '?$expand=ContactInfo',
    );
    expect(upd.json.ContactInfo.Title.value).toBe('Staff Engineer');
    expect(upd.json.ContactInfo.LastName.value).toBe('Raman-Iyer');
  });
  it('a supplied EmployeeID is ignored under auto-numbering unless honourSuppliedKeys', async () => {
    const body = fixtureJson<Record<string, unknown>>('employee.put.request.json');
    expect((await put({ ...body, EmployeeID: { value: 'GUSTO-1' } })).json.EmployeeID.value).toBe('EP00000003');
    sb.knobs.honourSuppliedKeys = true;
    expect((await put({ ...body, EmployeeID: { value: 'GUSTO-2' } })).json.EmployeeID.value).toBe('GUSTO-2');
    expect((await get('/Employee/GUSTO-2')).status).toBe(200);
  });
});
