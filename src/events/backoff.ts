// The wait between attempts while the broker or the store fails: doubling from `initial`, capped at
// `max`, back to `initial` after a success. The relay and the projector share it.
export class Backoff {
  private current: number;

  constructor(private readonly limits: { initial: number; max: number }) {
    this.current = limits.initial;
  }

  /** The wait before the next attempt; the one after it doubles, up to max. */
  next(): number {
    const wait = this.current;
    this.current = Math.min(this.current * 2, this.limits.max);
    return wait;
  }

  /** What the next wait will be, without taking it. */
  peek(): number {
    return this.current;
  }

  reset(): void {
    this.current = this.limits.initial;
  }

  get max(): number {
    return this.limits.max;
  }
}
