import {
  HOLD,
  OWNERS_PER_WRITE,
  StreamOwners,
} from '../../../../src/application/payroll-posting/projections/stream-owners';

const stream = (n: number) => `payroll-posting-c-${String((n * 7919) % 1_000_003).padStart(7, '0')}`;

describe('StreamOwners', () => {
  it('writes a learned owner with its batch when not holding (a live projector)', () => {
    const owners = new StreamOwners(false);
    expect(owners.learn('s1', 'c')).toEqual({ stream: 's1', connectionId: 'c' });
    expect(owners.get('s1')).toBe('c');
    expect(owners.due(true)).toEqual([]);
  });

  it('holds learned owners (a bulk build’s audit part), knows them meanwhile, and hands them out sorted in writes', () => {
    const owners = new StreamOwners(true);
    const returned = Array.from({ length: HOLD - 1 }, (_, n) => owners.learn(stream(n), `c${n % 3}`));
    expect(returned.every((r) => r === undefined)).toBe(true);
    expect(owners.has(stream(5))).toBe(true);
    expect(owners.get(stream(5))).toBe('c2');
    // Fewer than HOLD: nothing due until the end of the part.
    expect(owners.due(false)).toEqual([]);
    owners.learn(stream(HOLD - 1), 'c0');
    const writes = owners.due(false);
    expect(writes).toHaveLength(Math.ceil(HOLD / OWNERS_PER_WRITE));
    expect(writes.every((w) => w.length <= OWNERS_PER_WRITE)).toBe(true);
    const all = writes.flat().map((o) => o.stream);
    expect(all).toHaveLength(HOLD);
    expect(all).toEqual([...all].sort());
    // Written: no longer held (the store knows them).
    expect(owners.has(stream(5))).toBe(false);
    expect(owners.due(true)).toEqual([]);
  });

  it('keeps held owners when its cache of looked-up ones is cleared', () => {
    const owners = new StreamOwners(true);
    owners.learn('held', 'c');
    for (let n = 0; n < 25_000; n += 1) owners.remember(`s${n}`, 'x');
    expect(owners.get('held')).toBe('c');
    expect(owners.due(true)).toEqual([[{ stream: 'held', connectionId: 'c' }]]);
  });
});
