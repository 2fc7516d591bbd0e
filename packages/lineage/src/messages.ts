/** User-facing text the lineage logic produces (node lines); the panel's own text lives in the widgets package. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const lineageMessages = {
  moreNodes: (n: number) => `+${integer.format(n)} more`,
  groupOf: (kind: string, n: number) => {
    if (kind === 'run') return n === 1 ? 'run' : 'runs';
    const type = kind.slice('artifact:'.length) || 'artifact';
    return `${type} ${n === 1 ? 'version' : 'versions'}`;
  },
  runLine: (state: string | null, jobType: string | null) =>
    ['run', state, jobType].filter(Boolean).join(' · '),
  unnamedRun: (runId: string) => runId,
} as const;
