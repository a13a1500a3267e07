/**
 * Exponential moving average as TensorBoard draws it: debiased so the first points are not
 * dragged towards zero. weight 0 = raw, 0.99 = very smooth. Non-finite values pass through
 * unchanged and do not enter the average.
 */
export function emaSmooth(points: readonly (readonly [number, number])[], weight: number): [number, number][] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  if (w === 0) return points.map(([x, y]) => [x, y]);
  let acc = 0;
  let steps = 0;
  return points.map(([x, y]) => {
    if (!Number.isFinite(y)) return [x, y];
    acc = w * acc + (1 - w) * y;
    steps++;
    return [x, acc / (1 - w ** steps)];
  });
}
