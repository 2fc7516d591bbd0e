// What the workspace benchmarks share to measure: quantiles, time formatting and the random zoom windows.

export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
};

export const fmt = (ms) =>
  ms === undefined || Number.isNaN(ms)
    ? 'n/a'
    : ms >= 1000
      ? `${(ms / 1000).toFixed(2)} s`
      : `${ms.toFixed(1)} ms`;

function rand(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Zoom and pan windows over steps [0, steps): widths from the whole range down to ~1/1000 of it, anywhere. */
export function zoomWindows(n, seed, steps) {
  const r = rand(seed);
  return Array.from({ length: n }, () => {
    const width = Math.max(50, Math.floor(steps * 10 ** (-3 * r())));
    const lo = Math.floor(r() * (steps - width));
    return [lo, lo + width];
  });
}
