import { createPrng } from '../dataset/prng.js';

/** Seeded fault choice, so a test sees the same faults on the same request sequence. */
export type Fault = 'none' | 'server-error' | 'rate-limited' | 'dropped';

export class FaultPlan {
  private readonly next: () => number;
  private readonly nextLost: () => number;

  /** `lostRate`: share of mutation requests that are processed and whose response is then lost
   *  (the connection drops after the server wrote), as a proxy or a network failure would. */
  constructor(
    private readonly rate: number,
    seed: number,
    private readonly lostRate = 0,
    /** Which refusals a fault may be (default all three). */
    private readonly kinds: readonly Exclude<Fault, 'none'>[] = ['server-error', 'rate-limited', 'dropped'],
  ) {
    if (kinds.length === 0) throw new Error('fault kinds must not be empty');
    if (!(rate >= 0 && rate <= 1)) throw new Error(`faultRate must be within 0..1, got ${rate}`);
    if (!(lostRate >= 0 && lostRate <= 1)) throw new Error(`lostResponseRate must be within 0..1, got ${lostRate}`);
    this.next = createPrng(seed).next;
    this.nextLost = createPrng(seed ^ 0x5bd1e995).next;
  }

  /** Whether the response to a processed mutation is lost. */
  loseResponse(): boolean {
    return this.lostRate > 0 && this.nextLost() < this.lostRate;
  }

  /** Draws the fate of one request. */
  draw(): Fault {
    if (this.rate === 0) return 'none';
    const hit = this.next() < this.rate;
    const which = this.next();
    if (!hit) return 'none';
    return this.kinds[Math.min(this.kinds.length - 1, Math.floor(which * this.kinds.length))] as Fault;
  }
}
