import type { AcumaticaSandbox } from '../../../src/sandbox/acumatica';
import {
  call,
  entity,
  fixture,
  fixtureJson,
  journalBody,
  keyPaths,
  q,
  sampleJournal,
  sorted,
  started,
} from './support';

let sb: AcumaticaSandbox;
let tok: string;
beforeEach(async () => {
  ({ sb, tok } = await started({ closedPeriods: ['122024'] }));
});
afterEach(() => sb.close());

const put = (body: string, query = '?$expand=Details', headers?: Record<string, string>) =>
  call(sb, 'PUT', entity(`/JournalTransaction${query}`), { token: tok, body, headers });
const get = (path: string) => call(sb, 'GET', entity(path), { token: tok });

describe('JournalTransaction PUT (create)', () => {
  it('creates the sample batch: 200, sample response shape, zero-padded BatchNbr, Balanced, lines numbered', async () => {
    const r = await put(sampleJournal());
    expect(r.status).toBe(200);
    expect(sorted(keyPaths(r.json))).toEqual(sorted(keyPaths(fixtureJson('journal-transaction.put.response.json'))));
    expect(r.json.BatchNbr.value).toBe('000001');
    expect(r.json.Status.value).toBe('Balanced');
    expect(r.json.PostPeriod.value).toBe('012025');
    expect(r.json.TransactionDate.value).toBe('2025-01-31T00:00:00+00:00');
    expect(r.json.Details.map((d: { LineNbr: { value: number } }) => d.LineNbr.value)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(r.json.Details[0].Description.value).toBe('Salaries and Wages'); // the account's description, not the memo
    expect(r.json.LastModifiedDateTime.value).toBe(r.json.CreatedDateTime.value);
    expect((await put(sampleJournal('gusto:other'))).json.BatchNbr.value).toBe('000002');
  });
  it('without $expand=Details the lines are not returned', async () => {
    const r = await put(sampleJournal(), '');
    expect(r.json.Details).toBeUndefined();
    expect(sb.records.journals()[0].Details).toHaveLength(9);
  });
  it('PUT without keys creates a duplicate every time; records count journals per tag', async () => {
    await put(sampleJournal('gusto:aaa'));
    await put(sampleJournal('gusto:aaa'));
    await put(sampleJournal('gusto:bbb'));
    expect(sb.records.journalsTagged('gusto:aaa')).toHaveLength(2);
    expect(sb.records.journalsTagged('gusto:bbb')).toHaveLength(1);
  });
  it('Hold=true (or omitted: Hold Batches on Entry) saves On Hold, even unbalanced', async () => {
    const held = await put(
      journalBody([['60000', '10.00', '0']]).replace('"Hold":{"value":false}', '"Hold":{"value":true}'),
    );
    expect(held.status).toBe(200);
    expect(held.json.Status.value).toBe('On Hold');
    const omitted = await put(
      journalBody([
        ['60000', '10.00', '0'],
        ['10100', '0', '10.00'],
      ]).replace(',"Hold":{"value":false}', ''),
    );
    expect(omitted.json.Status.value).toBe('On Hold');
    sb.knobs.holdBatchesOnEntry = false;
    const notHeld = await put(
      journalBody([
        ['60000', '10.00', '0'],
        ['10100', '0', '10.00'],
      ]).replace(',"Hold":{"value":false}', ''),
    );
    expect(notHeld.json.Status.value).toBe('Balanced');
  });
  it('balances to the cent from the decimal text (no float sums): 0.1 + 0.2 = 0.30 balances', async () => {
    const r = await put(
      journalBody([
        ['60000', '0.1', '0'],
        ['60010', '0.2', '0'],
        ['10100', '0', '0.30'],
      ]),
    );
    expect(r.status).toBe(200);
    const big = await put(
      journalBody([
        ['60000', '12345678901234.56', '0'],
        ['60010', '0.01', '0'],
        ['10100', '0', '12345678901234.57'],
      ]),
    );
    expect(big.status).toBe(200);
    expect(sb.records.journals()[1].Details).toEqual(
      expect.arrayContaining([expect.objectContaining({ CreditAmount: '12345678901234.57' })]),
    );
    expect(big.text).toContain('"value":12345678901234.57');
  });
  it('unbalanced with Hold=false → 422 "Batch is out of balance, please review." (500 via knob); nothing stored', async () => {
    const r = await put(
      journalBody([
        ['60000', '100.00', '0'],
        ['10100', '0', '99.99'],
      ]),
    );
    expect(r.status).toBe(422);
    expect(r.json.error).toBe('Batch is out of balance, please review.');
    sb.knobs.outOfBalanceAs = 500;
    const r500 = await put(
      journalBody([
        ['60000', '100.00', '0'],
        ['10100', '0', '99.99'],
      ]),
    );
    expect(r500.status).toBe(500);
    expect(r500.json).toMatchObject({
      message: 'An error has occurred.',
      exceptionMessage: 'Batch is out of balance, please review.',
    });
    expect(sb.records.journals()).toHaveLength(0);
  });
  it('closed period + unknown account/subaccount → 422 entity echo in the sample shape', async () => {
    const body = fixture('journal-transaction.put.request.json')
      .replace('"2025-01-31"', '"2024-12-31"')
      .replace('"012025"', '"122024"')
      .replace('"value": "60200"', '"value": "60150"')
      .replace('"ENG000"', '"ENX000"');
    const r = await put(body);
    expect(r.status).toBe(422);
    expect(r.json.error).toBe("Inserting 'Batch' record raised at least one error. Please review the errors.");
    expect(r.json.BatchNbr.value).toBe('<NEW>');
    expect(r.json.PostPeriod).toEqual({ value: '122024', error: 'Error: The 12-2024 financial period is closed.' });
    const sample = fixtureJson<{ Details: unknown[] }>('error-422.journal-transaction.response.json');
    const expected = keyPaths({
      ...sample,
      Details: sample.Details.map((d) => ({ ...(d as object), BranchID: {}, ReferenceNbr: {} })),
    });
    expect(sorted(keyPaths(r.json))).toEqual(sorted(expected));
    const bad = r.json.Details[2];
    expect(bad.Account).toEqual({ value: '60150', error: "'Account' cannot be found in the system." });
    expect(r.json.Details[0].Subaccount).toEqual({
      value: 'ENX000',
      error: "Error: 'Subaccount' cannot be found in the system.",
    });
    expect(sb.records.journals()).toHaveLength(0);
  });
  it('inactive account, inactive subaccount, YTD Net Income, unknown branch → field errors', async () => {
    sb.deactivateAccount('60010');
    const r = await put(
      journalBody([
        ['60010', '5', '0'],
        ['69000', '5', '0'],
        ['39000', '0', '5'],
        ['10100', '0', '5', '900000'],
      ]),
    );
    expect(r.status).toBe(422);
    expect(
      r.json.Details.map(
        (d: { Account?: { error?: string }; Subaccount?: { error?: string } }) =>
          d.Account?.error ?? d.Subaccount?.error,
      ),
    ).toEqual([
      'Account is inactive.',
      'Account is inactive.',
      'Cannot post transactions directly to Year to Date Net Income.',
      'Subaccount 900000 is inactive.',
    ]);
    const br = await put(
      journalBody(
        [
          ['60000', '5', '0'],
          ['10100', '0', '5'],
        ],
        ',"BranchID":{"value":"NOWHERE"}',
      ),
    );
    expect(br.json.BranchID.error).toBe("'Branch' cannot be found in the system.");
  });
  it('closed periods are a knob; PostPeriod also accepts MM-YYYY and defaults from TransactionDate', async () => {
    sb.knobs.closedPeriods.add('032025');
    const closed = await put(
      journalBody([
        ['60000', '5', '0'],
        ['10100', '0', '5'],
      ]),
    );
    expect(closed.json.PostPeriod.error).toBe('Error: The 03-2025 financial period is closed.');
    sb.knobs.closedPeriods.delete('032025');
    const ok = await put(
      journalBody(
        [
          ['60000', '5', '0'],
          ['10100', '0', '5'],
        ],
        ',"PostPeriod":{"value":"03-2025"}',
      ),
    );
    expect(ok.json.PostPeriod.value).toBe('032025');
  });
  it('PX-CbApiBusinessDate sets the default TransactionDate (and so the period)', async () => {
    const body = journalBody([
      ['60000', '5', '0'],
      ['10100', '0', '5'],
    ]).replace('"TransactionDate":{"value":"2025-03-31"},', '');
    const r = await put(body, '', { 'PX-CbApiBusinessDate': '2025/06/30' });
    expect(r.json.TransactionDate.value).toBe('2025-06-30T00:00:00+00:00');
    expect(r.json.PostPeriod.value).toBe('062025');
  });
  it('module other than GL is refused', async () => {
    const r = await put(
      journalBody([
        ['60000', '5', '0'],
        ['10100', '0', '5'],
      ]).replace('"Module":{"value":"GL"}', '"Module":{"value":"AP"}'),
    );
    expect(r.status).toBe(422);
    expect(r.json.Module.error).toBeDefined();
  });
  it('an unwrapped field is rejected with 400 and a ModelState, like ASP.NET model binding', async () => {
    const r = await put(
      journalBody([
        ['60000', '5', '0'],
        ['10100', '0', '5'],
      ]).replace('"Description":{"value":"Test journal [gusto:t1]"}', '"Description":"Test journal"'),
    );
    expect(r.status).toBe(400);
    expect(r.json.message).toBe('The request is invalid.');
    expect(r.json.modelState['entity.Description'][0]).toMatch(
      /Error converting value "Test journal" to type 'PX.Api.ContractBased.Models.StringValue'/,
    );
    const line = await put(
      journalBody([
        ['60000', '5', '0'],
        ['10100', '0', '5'],
      ]).replace('"DebitAmount":{"value":5}', '"DebitAmount":5'),
    );
    expect(Object.keys(line.json.modelState)).toEqual(['entity.Details[0].DebitAmount']);
    expect((await put('{"Module": {"value": "GL"')).status).toBe(400);
    expect(sb.records.journals()).toHaveLength(0);
  });
  it('update by id / keys: lines added, changed, deleted; released batches cannot be edited', async () => {
    const created = (
      await put(
        journalBody([
          ['60000', '5', '0'],
          ['10100', '0', '5'],
        ]),
      )
    ).json;
    const line1 = created.Details[0].id;
    const upd = await put(
      JSON.stringify({
        id: created.id,
        Description: { value: 'edited' },
        Details: [
          { id: line1, DebitAmount: { value: 7 } },
          { Account: { value: '21000' }, Subaccount: { value: '000000' }, CreditAmount: { value: 2 } },
        ],
      }),
    );
    expect(upd.status).toBe(200);
    expect(upd.json.BatchNbr.value).toBe(created.BatchNbr.value);
    expect(upd.json.Details.map((d: { LineNbr: { value: number } }) => d.LineNbr.value)).toEqual([1, 2, 3]);
    const del = await put(
      JSON.stringify({ Module: { value: 'GL' }, BatchNbr: created.BatchNbr, Details: [{ id: line1, delete: true }] }),
    );
    expect(del.json.Details).toHaveLength(2);
    expect(sb.records.journals()).toHaveLength(1);
    sb.knobs.releasePolls = 0;
    await call(sb, 'POST', entity('/JournalTransaction/ReleaseJournalTransaction'), {
      token: tok,
      body: { entity: { id: created.id } },
    });
    expect((await put(JSON.stringify({ id: created.id, Description: { value: 'x' } }))).status).toBe(422);
  });
  it('If-None-Match: * on an existing record and If-Match: * on a missing one → 412', async () => {
    const created = (
      await put(
        journalBody([
          ['60000', '5', '0'],
          ['10100', '0', '5'],
        ]),
      )
    ).json;
    expect((await put(JSON.stringify({ id: created.id }), '', { 'if-none-match': '*' })).status).toBe(412);
    expect(
      (
        await put(
          journalBody([
            ['60000', '5', '0'],
            ['10100', '0', '5'],
          ]),
          '',
          { 'if-match': '*' },
        )
      ).status,
    ).toBe(412);
  });
});

describe('UNCONFIRMED behaviours as knobs', () => {
  it('a supplied BatchNbr is ignored under auto-numbering unless honourSuppliedKeys', async () => {
    const body = journalBody(
      [
        ['60000', '5', '0'],
        ['10100', '0', '5'],
      ],
      ',"BatchNbr":{"value":"GUSTO01"}',
    );
    expect((await put(body)).json.BatchNbr.value).toBe('000001');
    sb.knobs.honourSuppliedKeys = true;
    expect((await put(body.replace('GUSTO01', 'GUSTO02'))).json.BatchNbr.value).toBe('GUSTO02');
  });
  it('date-only values sent with Z keep their date, unless dateOnlyShiftHours moves them', async () => {
    const body = journalBody([
      ['60000', '5', '0'],
      ['10100', '0', '5'],
    ]).replace('"2025-03-31"', '"2025-04-01T00:00:00Z"');
    const plain = await put(body);
    expect(plain.json.TransactionDate.value).toBe('2025-04-01T00:00:00+00:00');
    sb.knobs.dateOnlyShiftHours = -8;
    const shifted = await put(body);
    expect(shifted.json.TransactionDate.value).toBe('2025-03-31T00:00:00+00:00');
    expect(shifted.json.PostPeriod.value).toBe('032025');
    expect(
      (
        await put(
          journalBody([
            ['60000', '5', '0'],
            ['10100', '0', '5'],
          ]),
        )
      ).json.TransactionDate.value,
    ).toBe('2025-03-31T00:00:00+00:00');
  });
});

describe('JournalTransaction GET', () => {
  it('by key GL/{BatchNbr} and by id; unknown key → 500 NoEntitySatisfiesTheCondition (sample shape)', async () => {
    const created = (await put(sampleJournal())).json;
    const byKey = await get('/JournalTransaction/GL/000001?$expand=Details');
    expect(byKey.status).toBe(200);
    expect(byKey.json.Details).toHaveLength(9);
    expect((await get(`/JournalTransaction/${created.id}`)).json.BatchNbr.value).toBe('000001');
    const missing = await get('/JournalTransaction/GL/999999');
    expect(missing.status).toBe(500);
    expect(sorted(keyPaths(missing.json))).toEqual(
      sorted(keyPaths(fixtureJson('error-500.not-found-by-key.response.json'))),
    );
    expect(missing.json.exceptionType).toBe('PX.Api.ContractBased.NoEntitySatisfiesTheConditionException');
  });
  it("look-up by tag: Module eq 'GL' and substringof('gusto:<uuid>',Description) with $select", async () => {
    await put(sampleJournal('gusto:11111111-aaaa'));
    await put(sampleJournal('gusto:22222222-bbbb'));
    const r = await get(
      `/JournalTransaction?${q("Module eq 'GL' and substringof('gusto:22222222-bbbb',Description)")}&$select=BatchNbr,Status,Description`,
    );
    expect(r.status).toBe(200);
    expect(r.json).toHaveLength(1);
    expect(Object.keys(r.json[0]).sort()).toEqual([
      'BatchNbr',
      'Description',
      'Status',
      '_links',
      'custom',
      'id',
      'note',
      'rowNumber',
    ]);
    expect(r.json[0].BatchNbr.value).toBe('000002');
    const none = await get(`/JournalTransaction?${q("Module eq 'GL' and substringof('gusto:nope',Description)")}`);
    expect(none.json).toEqual([]);
  });
  it('LastModifiedDateTime gt datetimeoffset; $top/$skip page; bad $filter → 400', async () => {
    await put(sampleJournal('gusto:1'));
    const mark = sb.clock.now().toISOString();
    sb.clock.advance(1000);
    await put(sampleJournal('gusto:2'));
    await put(sampleJournal('gusto:3'));
    const since = await get(`/JournalTransaction?${q(`LastModifiedDateTime gt datetimeoffset'${mark}'`)}`);
    expect(since.json.map((j: { BatchNbr: { value: string } }) => j.BatchNbr.value)).toEqual(['000002', '000003']);
    const page = await get('/JournalTransaction?$top=1&$skip=1');
    expect(page.json.map((j: { BatchNbr: { value: string } }) => j.BatchNbr.value)).toEqual(['000002']);
    const bad = await get(`/JournalTransaction?${q("Module eq GL'")}`);
    expect(bad.status).toBe(400);
    expect((await get(`/JournalTransaction?${q("Details/Account eq '60000'")}`)).status).toBe(400);
  });
});

describe('ReleaseJournalTransaction', () => {
  const release = (batchNbr: string) =>
    call(sb, 'POST', entity('/JournalTransaction/ReleaseJournalTransaction'), {
      token: tok,
      body: fixture('journal-transaction.release.request.json').replace('000482', batchNbr),
    });
  it('202 + Location; poll 202 … 204; then Posted', async () => {
    await put(sampleJournal());
    sb.knobs.releasePolls = 2;
    const r = await release('000001');
    expect(r.status).toBe(202);
    const loc = r.headers.get('location')!;
    expect(loc).toMatch(
      /^\/entity\/Default\/24\.200\.001\/JournalTransaction\/ReleaseJournalTransaction\/status\/[0-9a-f-]{36}$/,
    );
    expect((await call(sb, 'GET', loc, { token: tok })).status).toBe(202);
    expect((await call(sb, 'GET', loc, { token: tok })).status).toBe(204);
    expect((await get('/JournalTransaction/GL/000001?$select=Status')).json.Status.value).toBe('Posted');
    expect(sb.records.journals()[0].Status).toBe('Posted');
  });
  it('Unposted when Automatically Post on Release is off', async () => {
    await put(sampleJournal());
    sb.knobs.autoPostOnRelease = false;
    const loc = (await release('000001')).headers.get('location')!;
    expect((await call(sb, 'GET', loc, { token: tok })).status).toBe(204);
    expect(sb.records.journals()[0].Status).toBe('Unposted');
  });
  it('a batch on hold fails the release (500 on the poll); unknown batch → 500 at once', async () => {
    await put(
      journalBody([
        ['60000', '5', '0'],
        ['10100', '0', '5'],
      ]).replace('"Hold":{"value":false}', '"Hold":{"value":true}'),
    );
    const loc = (await release('000001')).headers.get('location')!;
    const poll = await call(sb, 'GET', loc, { token: tok });
    expect(poll.status).toBe(500);
    expect(poll.json.exceptionMessage).toMatch(/on hold/);
    expect((await release('000099')).status).toBe(500);
  });
  it('a period closed or an account deactivated after the batch was saved fails the release', async () => {
    await put(sampleJournal());
    await put(sampleJournal('gusto:second'));
    sb.knobs.closedPeriods.add('012025');
    const first = await call(sb, 'GET', (await release('000001')).headers.get('location')!, { token: tok });
    expect(first.status).toBe(500);
    expect(first.json.exceptionMessage).toBe('The 01-2025 financial period is closed.');
    sb.knobs.closedPeriods.delete('012025');
    sb.deactivateAccount('21400');
    const second = await call(sb, 'GET', (await release('000002')).headers.get('location')!, { token: tok });
    expect(second.json.exceptionMessage).toBe('Account 21400 is inactive.');
    expect(sb.records.journals().map((j) => j.Status)).toEqual(['Balanced', 'Balanced']);
  });
  it('while the release runs, other requests of the same session fail; the poll is served', async () => {
    await put(sampleJournal());
    const loc = (await release('000001')).headers.get('location')!;
    const blocked = await get('/JournalTransaction/GL/000001');
    expect(blocked.status).toBe(500);
    expect(blocked.json.exceptionMessage).toMatch(/previous operation/);
    expect((await call(sb, 'GET', loc, { token: tok })).status).toBe(204);
    expect((await get('/JournalTransaction/GL/000001')).status).toBe(200);
  });
  it('a release nobody polls finishes in the background after 30 s of sandbox time (session unlocked, Posted)', async () => {
    await put(sampleJournal());
    const loc = (await release('000001')).headers.get('location')!;
    expect((await get('/JournalTransaction/GL/000001')).status).toBe(500);
    sb.clock.advance(30_000);
    const after = await get('/JournalTransaction/GL/000001?$select=Status');
    expect(after.status).toBe(200);
    expect(after.json.Status.value).toBe('Posted');
    expect((await call(sb, 'GET', loc, { token: tok })).status).toBe(204);
  });
});
