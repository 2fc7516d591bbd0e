/**
 * Debiased exponential moving average, as wandb and TensorBoard smooth lines: with weight `alpha` in [0, 1) on the
 * past, last = alpha·last + (1 − alpha)·y and the output is last / (1 − alpha^count), so the first points are not
 * pulled towards 0. Non-finite values are skipped (they neither move nor break the average).
 */
export function ema(values: readonly number[], alpha: number): number[] {
  return weightedEma(
    values.map((y) => ({ y, n: 1 })),
    alpha,
  );
}

/**
 * The same average over buckets of `n` points with mean `y`: each bucket decays the state by alpha^n, which is
 * exactly what n points of value y would do. Used on downsampled lines, where one bucket stands for many rows.
 */
export function weightedEma(buckets: readonly { y: number; n: number }[], alpha: number): number[] {
  if (!(alpha >= 0 && alpha < 1)) throw new RangeError(`EMA weight must be in [0, 1), got ${alpha}`);
  const out = new Array<number>(buckets.length);
  let last = 0;
  let weight = 0;
  for (let i = 0; i < buckets.length; i++) {
    const { y, n } = buckets[i];
    if (Number.isFinite(y) && n > 0) {
      const decay = alpha ** n;
      last = decay * last + (1 - decay) * y;
      weight = decay * weight + (1 - decay);
    }
    out[i] = weight > 0 ? last / weight : Number.NaN;
  }
  return out;
}
