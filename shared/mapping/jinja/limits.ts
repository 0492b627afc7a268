// Hard limits on one template rendering. Templates are written by whoever edits the config, but
// run against every source record: without limits `{{ range(1000000000) | list }}` or
// `{{ 'x' * 10**10 }}` exhausts the heap, which kills the process outright (no exception to
// catch, the run left marked running), and nested loops can spin for hours. Each limit, when
// hit, is a TemplateLimitError that fails that record's transform with a message naming it.
// The range limit is Jinja2's own sandbox limit (MAX_RANGE); the others leave real templates
// several orders of magnitude of room.
export interface TemplateLimits {
  /** Items of one range(). */
  range: number;
  /** Characters of any string a template builds, and of its output. */
  chars: number;
  /** Items of any list a template builds. */
  items: number;
  /** Loop iterations in one rendering, nested loops included. */
  iterations: number;
  /** Milliseconds one rendering may take. */
  ms: number;
}

export const DEFAULT_LIMITS: Readonly<TemplateLimits> = Object.freeze({
  range: 100_000,
  chars: 1_000_000,
  items: 1_000_000,
  iterations: 1_000_000,
  ms: 1_000,
});

export class TemplateLimitError extends Error {
  override readonly name = 'TemplateLimitError';
}

/** Work done by the rendering in progress. Rendering is synchronous, so one is current at a time. */
class Budget {
  limits: TemplateLimits = { ...DEFAULT_LIMITS };
  private started = 0;
  private iterations = 0;
  private work = 0;
  private nextCheck = 0;

  start(limits: TemplateLimits): void {
    this.limits = limits;
    this.started = performance.now();
    this.iterations = 0;
    this.work = 0;
    this.nextCheck = 1024;
  }

  /** One loop iteration. */
  iterate(): void {
    if (++this.iterations > this.limits.iterations) {
      throw new TemplateLimitError(`the template ran more than ${this.limits.iterations} loop iterations`);
    }
    this.tick();
  }

  /** `n` units of work (a call, a comparison, an item copied); the clock is read every 1,024. */
  tick(n = 1): void {
    this.work += n;
    if (this.work < this.nextCheck) return;
    this.nextCheck = this.work + 1024;
    const spent = performance.now() - this.started;
    if (spent > this.limits.ms) throw new TemplateLimitError(`the template took longer than ${this.limits.ms} ms`);
  }

  chars(n: number, what: string): void {
    if (n > this.limits.chars) {
      throw new TemplateLimitError(`${what} would be ${n} characters long, over the limit of ${this.limits.chars}`);
    }
  }

  items(n: number, what: string): void {
    if (n > this.limits.items) throw new TemplateLimitError(`${what} would hold ${n} items, over the limit of ${this.limits.items}`);
  }
}

export const budget = new Budget();
