// What `npm run bench` leaves behind: a table on stdout, the raw runs as JSON, and an SVG chart of
// each row's value against its target.
import { writeFile } from 'node:fs/promises';

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface Row {
  name: string;
  measured: string;
  baseline: string;
  /** The median and spread of the row's value over the runs. */
  value: Spread;
  unit: 'x' | 'ms' | 'MB';
  /** The target as text, and whether the median meets it. */
  target: string;
  /** null: a measure without a target (what something costs). */
  met: boolean | null;
  /** Medians of what the value is made of (throughput, latency of each side). */
  detail: string;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

const format = (value: number, unit: Row['unit']) => (Number.isNaN(value) ? 'n/a' : unit === 'x' ? value.toFixed(2) : value.toFixed(0));

export function printTable(rows: Row[]): string {
  const header = ['row', 'median', 'min–max', 'target', 'met', 'measured / baseline (medians)'];
  const lines = rows.map((row) => [
    row.name,
    `${format(row.value.median, row.unit)}${row.unit === 'x' ? '' : ` ${row.unit}`}`,
    `${format(row.value.min, row.unit)}–${format(row.value.max, row.unit)}`,
    row.target,
    row.met === null ? '—' : row.met ? 'yes' : 'NO',
    row.detail,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const render = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...lines.map(render)].join('\n');
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One horizontal bar per row: its value as a share of its target (1 = the target), with the min–max range. */
export function chartSvg(rows: Row[], title: string): string {
  const width = 760;
  const left = 230;
  const barHeight = 22;
  const gap = 14;
  const top = 48;
  const plot = width - left - 190; // room on the right for the label of a bar that reaches the edge
  const height = top + rows.length * (barHeight + gap) + 40;
  const maxShare = Math.max(2, ...rows.map((row) => share(row, row.value.max)).filter(Number.isFinite));
  const x = (value: number) => left + (Math.min(value, maxShare) / maxShare) * plot;
  const bars = rows.map((row, index) => {
    const y = top + index * (barHeight + gap);
    const median = share(row, row.value.median);
    const [low, high] = [share(row, row.value.min), share(row, row.value.max)].sort((a, b) => a - b);
    const colour = row.met === null ? '#757575' : row.met ? '#2e7d32' : '#c62828';
    return [
      `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escape(row.name)}</text>`,
      Number.isFinite(median) ? `<rect x="${left}" y="${y}" width="${(x(median) - left).toFixed(1)}" height="${barHeight}" fill="${colour}" opacity="0.8"/>` : '',
      Number.isFinite(low!) && Number.isFinite(high!) ? `<line x1="${x(low!).toFixed(1)}" x2="${x(high!).toFixed(1)}" y1="${y + barHeight / 2}" y2="${y + barHeight / 2}" stroke="#222" stroke-width="2"/>` : '',
      // The label starts after the bar and its whisker, whichever ends further right.
      `<text x="${Math.max(...[median, high!].filter(Number.isFinite).map(x), left) + 6}" y="${y + 15}">${escape(`${format(row.value.median, row.unit)}${row.unit === 'x' ? '' : ` ${row.unit}`} (target ${row.target})`)}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${left}" y="24" font-size="14" font-weight="bold">${escape(title)}</text>
<text x="${left}" y="40" fill="#555">bar: median as a share of its target (line at 1 = target met); whisker: min–max</text>
<line x1="${x(1)}" x2="${x(1)}" y1="${top - 4}" y2="${height - 30}" stroke="#555" stroke-dasharray="4 3"/>
${bars.join('\n')}
</svg>
`;
}

/**
 * How far a value is towards its target: above 1 meets it (for "less than" targets, target ÷ value).
 * A row without a target is a ratio to its baseline, drawn as it is (1 = costs nothing).
 */
function share(row: Row, value: number): number {
  if (row.met === null) return value;
  const target = Number(/[\d.]+/.exec(row.target)?.[0]);
  return row.target.startsWith('<') ? target / value : value / target;
}

export async function writeResults(directory: string, rows: Row[], raw: unknown, title: string): Promise<void> {
  await writeFile(`${directory}/results.json`, JSON.stringify({ title, rows, raw }, null, 2));
  await writeFile(`${directory}/chart.svg`, chartSvg(rows, title));
}
