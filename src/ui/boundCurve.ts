/**
 * A per-step curve that keeps at most `max` points: each point is the mean of `weight` raw
 * steps, and when the curve outgrows `max`, neighbouring points are merged in pairs and the
 * weight doubles. So a long run's curve keeps its shape, evenly, at a resolution that halves
 * as needed; the newest point is the running mean of the steps not yet complete. Amortised
 * O(1) per step. Unbounded, a 3,000-epoch run would keep every step of every loss term.
 */
export class BoundedCurve {
  /** The points to draw; the same array for the curve's whole life (mutated in place). */
  readonly points: [number, number][] = [];
  private weight = 1;
  /** Raw steps in the last point while it is incomplete (0: the last point is complete). */
  private pending = 0;
  private sx = 0;
  private sy = 0;

  constructor(private readonly max: number) {}

  /** A curve continuing from existing points (each taken as one step). */
  static from(points: [number, number][], max: number): BoundedCurve {
    const c = new BoundedCurve(max);
    for (const [x, y] of points) c.push(x, y);
    return c;
  }

  push(x: number, y: number): void {
    const p = this.points;
    if (this.pending === 0) {
      this.sx = this.sy = 0;
      p.push([x, y]);
    }
    this.sx += x;
    this.sy += y;
    this.pending++;
    p[p.length - 1] = [this.sx / this.pending, this.sy / this.pending];
    if (this.pending < this.weight) return;
    this.pending = 0;
    if (p.length > Math.max(2, this.max)) this.halve();
  }

  /** Every point is complete with the same weight here: merge pairs, keep an odd last one as pending. */
  private halve(): void {
    const p = this.points;
    let j = 0;
    for (let k = 0; k + 1 < p.length; k += 2) p[j++] = [(p[k]![0] + p[k + 1]![0]) / 2, (p[k]![1] + p[k + 1]![1]) / 2];
    if (p.length % 2) {
      const last = p[p.length - 1]!;
      p[j++] = last;
      this.pending = this.weight;
      this.sx = last[0] * this.weight;
      this.sy = last[1] * this.weight;
    }
    p.length = j;
    this.weight *= 2;
  }
}
