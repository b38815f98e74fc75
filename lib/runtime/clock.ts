/** A source of the current time; replace it to control time in tests and simulations. */
export interface IClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The system clock (`Date.now()`). */
export class SystemClock implements IClock {
  /** Milliseconds since the Unix epoch. */
  public now(): number {
    return Date.now();
  }
}
