import { createHmac, randomUUID } from 'node:crypto';
import { journalsOf, postingIdOf, postingWithStatus, postingWorld, WEBHOOK_TOKEN, type PostingWorld } from './support';

/** A payroll.processed body as Gusto sends it, signed the way Gusto signs it. */
function signedEvent(world: PostingWorld, payrollUuid: string): { body: string; signature: string } {
  const body = JSON.stringify({
    uuid: randomUUID(),
    event_type: 'payroll.processed',
    resource_type: 'Company',
    resource_uuid: world.companyUuid,
    entity_type: 'Payroll',
    entity_uuid: payrollUuid,
    timestamp: Math.floor(Date.now() / 1000),
  });
  return { body, signature: createHmac('sha256', WEBHOOK_TOKEN).update(body).digest('hex') };
}

const deliver = (world: PostingWorld, event: { body: string; signature: string }) =>
  fetch(`${world.service.url}/webhooks/gusto`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gusto-signature': event.signature },
    body: event.body,
  });

describe('posting e2e: concurrent duplicate webhooks', () => {
  let world: PostingWorld;
  beforeAll(async () => {
    world = await postingWorld();
  });
  afterAll(async () => world?.close());

  it('10 concurrent copies of one event, another event for the same payroll, and a late redelivery → one journal', async () => {
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 5, webhook: false });
    const event = signedEvent(world, payroll.uuid);
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(world, event)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    // Gusto may also emit a second, distinct event for the same payroll (another uuid): still one posting.
    expect((await deliver(world, signedEvent(world, payroll.uuid))).status).toBe(200);

    await postingWithStatus(world, payroll.uuid, 'posted');
    expect((await deliver(world, event)).status).toBe(200); // late redelivery after posting
    await new Promise((r) => setTimeout(r, 300));

    expect(journalsOf(world, payroll.uuid)).toHaveLength(1);
    const trail = await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}/events`);
    expect(trail.body.items.filter((e: { type: string }) => e.type === 'JournalCreated')).toHaveLength(1);
    expect(trail.body.items.filter((e: { type: string }) => e.type === 'PostingRequested')).toHaveLength(1);
  });

  it('bad signature, malformed and oversized bodies start no posting', async () => {
    const payroll = world.gusto.scenario.runPayroll(world.companyUuid, { employees: 2, webhook: false });
    const good = signedEvent(world, payroll.uuid);
    const bad = await deliver(world, {
      body: good.body,
      signature: good.signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
    });
    const malformedBody = '{"uuid": "x", "event_type": ';
    const malformed = await deliver(world, {
      body: malformedBody,
      signature: createHmac('sha256', WEBHOOK_TOKEN).update(malformedBody).digest('hex'),
    });
    const bigBody = JSON.stringify({ ...JSON.parse(good.body), padding: 'x'.repeat(1024 * 1024) });
    const big = await deliver(world, {
      body: bigBody,
      signature: createHmac('sha256', WEBHOOK_TOKEN).update(bigBody).digest('hex'),
    });
    expect([bad.status, malformed.status, big.status]).toEqual([401, 400, 413]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await world.api('GET', `/api/postings/${postingIdOf(world, payroll.uuid)}`)).status).toBe(404);
    expect(journalsOf(world, payroll.uuid)).toHaveLength(0);
  });
});
