/**
 * A value the code's own invariants guarantee (a state field set by an earlier event, a map entry just
 * added). Instead of a silent `!`, a broken invariant fails loudly and names what was missing.
 */
export function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`invariant broken: ${what} is missing`);
  return value;
}
