import { required } from '../../domain/shared/required';
/**
 * Which delivered positions are finished. Events finish out of order (they run concurrently), but the
 * checkpoint may only move to a position below which everything is done — else a crash would skip one.
 */
export class ProgressTracker {
  /** Delivered positions in delivery (= ascending) order, with their state. */
  private readonly open: Array<{ position: bigint; done: boolean }> = [];
  private highestBegun: bigint | undefined;
  private safe: bigint | undefined;

  /** False when this position was already delivered (a re-subscription may overlap). */
  begin(position: bigint): boolean {
    if (this.highestBegun !== undefined && position <= this.highestBegun) return false;
    this.highestBegun = position;
    this.open.push({ position, done: false });
    return true;
  }

  finish(position: bigint): void {
    const entry = this.open.find((e) => e.position === position);
    if (entry) entry.done = true;
    while (this.open.length > 0 && this.open[0].done)
      this.safe = required(this.open.shift(), 'the finished head').position;
  }

  /** Everything at or below this position has been handled. */
  get safePosition(): bigint | undefined {
    return this.safe;
  }
}
