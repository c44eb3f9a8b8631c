import { seededRandom } from '../../activities/panels/sample';

/**
 * Seeded draws for synthetic data: the panels' PRNG (mulberry32 over a hash of the seed), so the same seed gives the
 * same file on any machine. Every choice a generator makes goes through one `Draw`, in a fixed order.
 */
export class Draw {
  private readonly next: () => number;

  constructor(seed: string | number, purpose: string) {
    this.next = seededRandom(String(seed), purpose);
  }

  /** Uniform in [0, 1). */
  unit(): number {
    return this.next();
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor((max - min + 1) * this.next());
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(items.length * this.next())];
  }

  /** One of `choices` (value and weight), with probability proportional to its weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let left = this.next() * choices.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [value, weight] of choices) {
      left -= weight;
      if (left < 0) return value;
    }
    return choices[choices.length - 1][0];
  }
}
