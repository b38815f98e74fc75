import { IClock } from '../../../lib/runtime';

/** A clock that moves only when told to. */
export class ManualClock implements IClock {
  constructor(private ms = Date.UTC(2026, 0, 1)) {}

  /** The current manual time. */
  public now(): number {
    return this.ms;
  }

  /** Moves time forward. */
  public advance(ms: number): void {
    this.ms += ms;
  }
}
