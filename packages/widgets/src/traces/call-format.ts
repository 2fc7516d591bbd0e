/** Short texts of the trace panel: latency, tokens, cost, and a one-line summary of a JSON value. */

export function formatLatency(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '…';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function formatTokens(total: number | null): string {
  if (total === null) return '';
  return total.toLocaleString('en');
}

export function formatCost(cost: number | null): string {
  if (cost === null || !Number.isFinite(cost)) return '';
  if (cost === 0) return '$0';
  return cost < 0.01 ? `$${cost.toPrecision(2)}` : `$${cost.toFixed(4)}`;
}

/** The start time as local date and time to the second. */
export function formatStart(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `{3 keys}`, `[12 items]`, a string's first characters, or the value itself. */
export function summarizeValue(value: unknown, maxChars = 80): string {
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  if (typeof value === 'object' && value !== null) {
    const size = Object.keys(value).length;
    return `{${size} key${size === 1 ? '' : 's'}}`;
  }
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}
