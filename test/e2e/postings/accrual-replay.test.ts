/**
 * "Any failed posting can be replayed" (issue 14), for accruals too: a posting whose accrual failed is
 * found with `GET /api/postings?accrual=<status>`, and `POST /api/postings/:id/replay` — the posting's own
 * replay, not only `…/accruals/:month/replay` — re-runs that accrual after the fix. Still exactly once.
 */
import { accrualMapping, runAcrossMonthEnd } from './books-support';
import { postingIdOf, postingWithStatus, postingWorld, tagged, waitFor, type PostingWorld } from './support';

interface FailedAccrual {
  why: string;
  /** The accrual's status while it waits for the fix. */
  status: 'needs_attention' | 'skipped';
  mapping: () => Record<string, any>;
  breakIt: (world: PostingWorld) => void;
  fix: (world: PostingWorld) => Promise<void>;
}

const failures: FailedAccrual[] = [
  {
    why: 'no accruedPayroll account (then mapped)',
    status: 'needs_attention',
    mapping: () => accrualMapping({ account: false }),
    breakIt: () => undefined,
    fix: async (world) => {
      const put = await world.api('PUT', `/api/connections/${world.connectionId}/mapping`, accrualMapping());
      expect(put.status).toBe(200);
    },
  },
  {
    why: 'a closed period (then opened)',
    status: 'skipped',
    mapping: () => accrualMapping(),
    breakIt: (world) => world.acumatica.knobs.closedPeriods.add('112026'),
    fix: async (world) => {
      world.acumatica.knobs.closedPeriods.delete('112026');
    },
  },
];

const listed = async (world: PostingWorld, accrual: string): Promise<string[]> => {
  const res = await world.api('GET', `/api/postings?connectionId=${world.connectionId}&accrual=${accrual}`);
  expect(res.status).toBe(200);
  return res.body.items.map((p: any) => p.payrollUuid);
};

describe('an accrual that failed, found by its status and replayed with its posting', () => {
  it.each(failures.map((f) => [f.why, f] as const))(
    '%s',
    async (_why, f) => {
      const world = await postingWorld({ mapping: f.mapping() });
      try {
        f.breakIt(world);
        const payroll = runAcrossMonthEnd(world);
        const other = world.gusto.scenario.runPayroll(world.companyUuid, {
          employees: 1,
          checkDate: '2026-12-30',
        } as never) as any;
        await postingWithStatus(world, other.uuid, 'posted');
        const id = postingIdOf(world, payroll.uuid);
        await waitFor('the accrual failed', async () => {
          const res = await world.api('GET', `/api/postings/${id}`);
          return res.body.status === 'posted' && res.body.accruals?.[0]?.status === f.status;
        });

        // Findable: the filter names the posting whose accrual failed, and only it.
        expect(await listed(world, f.status)).toEqual([payroll.uuid]);
        expect(await listed(world, 'posted')).toEqual([]);
        const bad = await world.api('GET', `/api/postings?connectionId=${world.connectionId}&accrual=broken`);
        expect(bad.status).toBe(400);
        expect(JSON.stringify(bad.body)).toContain('accrual: must be one of');

        await f.fix(world);
        const replay = await world.api('POST', `/api/postings/${id}/replay`);
        expect(replay.status).toBe(202);
        const view = await waitFor('the accrual posted after the posting was replayed', async () => {
          const res = await world.api('GET', `/api/postings/${id}`);
          return res.body.accruals?.[0]?.status === 'posted' ? res.body : null;
        });
        expect(view.status).toBe('posted');
        expect(tagged(world, `gusto:${payroll.uuid}`)).toHaveLength(1);
        expect(tagged(world, `gusto-accrual:${payroll.uuid}:2026-11`)).toHaveLength(1);
        expect(tagged(world, `gusto-accrual-reversal:${payroll.uuid}:2026-11`)).toHaveLength(1);
        expect(view.accruals[0].accrual.batchNbr).toBe(
          tagged(world, `gusto-accrual:${payroll.uuid}:2026-11`)[0].BatchNbr,
        );

        // The audit trail names who replayed the accrual: the operator who replayed the posting.
        const audit = await world.api(
          'GET',
          `/api/audit/events?connectionId=${world.connectionId}&type=AccrualReplayed`,
        );
        const replayed = audit.body.items.filter((e: any) => e.stream.includes(payroll.uuid));
        expect(replayed).toHaveLength(1);
        expect(replayed[0].metadata.actor).not.toBe('system');

        expect(await listed(world, 'posted')).toEqual([payroll.uuid]);
        expect(await listed(world, f.status)).toEqual([]);
        // A second replay of the posting finds nothing of its accruals to re-run: still one of each journal.
        expect((await world.api('POST', `/api/postings/${id}/replay`)).status).toBe(202);
        await postingWithStatus(world, payroll.uuid, 'posted');
        expect(tagged(world, `gusto-accrual:${payroll.uuid}:2026-11`)).toHaveLength(1);
        expect(tagged(world, `gusto-accrual-reversal:${payroll.uuid}:2026-11`)).toHaveLength(1);
      } finally {
        await world.close();
      }
    },
    60_000,
  );
});
