/**
 * A loss term that is NaN or ±Infinity. The trainer checks every term of every
 * step *before* applying that step's gradients, so the weights it keeps (and the
 * checkpoints already written) are from the last good step.
 */
export class NumericalFault extends Error {
  constructor(readonly term: string, readonly value: number, readonly epoch: number, readonly step: number, readonly steps: number) {
    super(`the loss term "${term}" became ${value} at epoch ${epoch}, step ${step} of ${steps}`);
    this.name = 'NumericalFault';
  }
}

/** The first non-finite term of a step's losses, in the order they were computed. */
export function firstNonFinite(loss: Record<string, number>): [string, number] | null {
  for (const [k, v] of Object.entries(loss)) if (!Number.isFinite(v)) return [k, v];
  return null;
}

/** Index of the first NaN or ±Infinity in `data`, or -1 (`String(data[k])` names it: "NaN", "-Infinity"). */
export function firstNonFiniteIndex(data: ArrayLike<number>): number {
  for (let k = 0; k < data.length; k++) if (!Number.isFinite(data[k]!)) return k;
  return -1;
}
