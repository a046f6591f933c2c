import { KeyedSerializer } from '../../../../src/application/shared/keyed-serializer';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function gate(): { open: () => void; wait: Promise<void> } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { open, wait };
}

describe('KeyedSerializer (p-limit(1) per key)', () => {
  it('runs one piece of work per key at a time, in arrival order, and different keys in parallel', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const first = gate();
    const a1 = serializer.run('a', async () => {
      log.push('a1 start');
      await first.wait;
      log.push('a1 end');
      return 1;
    });
    const a2 = serializer.run('a', async () => {
      log.push('a2');
      return 2;
    });
    const b1 = serializer.run('b', async () => {
      log.push('b1');
      return 3;
    });
    await b1;
    await tick();
    expect(log).toEqual(['a1 start', 'b1']);
    first.open();
    expect(await Promise.all([a1, a2, b1])).toEqual([1, 2, 3]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('lets the next piece of work run after one fails, and hands the failure to its caller', async () => {
    const serializer = new KeyedSerializer();
    const failed = serializer.run('k', async () => {
      throw new Error('boom');
    });
    const next = serializer.run('k', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });

  it('is busy for a key while work is queued or running, and forgets the key once idle', async () => {
    const serializer = new KeyedSerializer();
    const hold = gate();
    void serializer.run('k', () => hold.wait);
    void serializer.run('k', async () => undefined);
    expect(serializer.isBusy('k')).toBe(true);
    expect(serializer.isBusy('other')).toBe(false);
    let idle = false;
    const waiting = serializer.idle().then(() => (idle = true));
    await tick();
    expect(idle).toBe(false);
    hold.open();
    await waiting;
    expect(serializer.isBusy('k')).toBe(false);
    expect((serializer as unknown as { lanes: Map<string, unknown> }).lanes.size).toBe(0);
  });
});
