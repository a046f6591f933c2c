import { PostReversalPayrollsCommand } from '../../../../src/application/payroll-posting/commands';
import { PostReversalPayrollsHandler } from '../../../../src/application/payroll-posting/command-handlers';
import { postingStream } from '../../../../src/domain/payroll-posting/events';
import { CONNECTION, harness } from './harness';

describe('PostReversalPayrollsHandler', () => {
  it('requests a posting for every reversal payroll Gusto lists on the original', async () => {
    const h = harness();
    const reversal = { ...structuredClone(h.payroll), uuid: 'rev-1', payroll_uuid: 'rev-1', off_cycle: true };
    h.gusto.payrolls.set('rev-1', reversal);
    h.gusto.payrolls.set(h.payroll.uuid, { ...h.payroll, reversal_payroll_uuids: ['rev-1'] });
    const handler = new PostReversalPayrollsHandler(h.saga, h.gusto);
    const results = await handler.execute(new PostReversalPayrollsCommand(CONNECTION, h.payroll.uuid, 'evt-7'));
    expect(results).toEqual([{ ok: true, postingId: `${CONNECTION}:rev-1`, status: 'pending', changed: true }]);
    await h.saga.idle();
    expect(h.store.types(postingStream(CONNECTION, 'rev-1'))[0]).toBe('PostingRequested');
    expect(h.store.types(h.stream)).toEqual([]); // the original itself is not re-posted
  });

  it('fails loudly when Gusto did not send reversal_payroll_uuids at all', async () => {
    const h = harness();
    const handler = new PostReversalPayrollsHandler(h.saga, h.gusto);
    await expect(handler.execute(new PostReversalPayrollsCommand(CONNECTION, h.payroll.uuid))).rejects.toThrow(
      /include=reversals/,
    );
  });
});
