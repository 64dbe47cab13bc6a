import type { ChartData, ChartLine } from './chart-data.js';
import { stripControl } from './markdown.js';

/** Eighth blocks: a row of text draws eight levels. */
const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ROWS = 5;

export type Paint = (text: string, style: 'dim' | 'yellow') => string;

const plain: Paint = (text) => text;

function seconds(value: number): string {
  return `T+${Math.round(value)}s`;
}

function plot(line: ChartLine, chart: ChartData): string[] {
  const span = Math.max(1, chart.yMaxMiB - chart.yMinMiB);
  const eighths = line.values.map((v) => {
    const share = Math.min(1, Math.max(0, (v - chart.yMinMiB) / span));
    // Anything above the floor shows at least a sliver, so a reading is never blank.
    return Math.max(v > chart.yMinMiB ? 1 : 0, Math.round(share * ROWS * 8));
  });
  const rows: string[] = [];
  for (let row = ROWS - 1; row >= 0; row -= 1) {
    rows.push(eighths.map((e) => BLOCKS[Math.min(8, Math.max(0, e - row * 8))]).join(''));
  }
  return rows;
}

/**
 * A small chart of one metric for a terminal: a block plot per GPU, its scale on the left,
 * and the soak window drawn as a double rule under it.
 */
export function renderTextChart(chart: ChartData, paint: Paint = plain): string[] {
  const top = String(chart.yMaxMiB);
  const bottom = String(chart.yMinMiB);
  const width = Math.max(top.length, bottom.length);
  const axis = chart.soak.map((inSoak) => (inSoak ? paint('═', 'yellow') : '─')).join('');
  const out: string[] = [];

  for (const line of chart.lines) {
    // The GPU's name comes from nvidia-smi: no escape sequence of it reaches the terminal.
    const name = line.gpuName ? ` (${stripControl(line.gpuName).slice(0, 80)})` : '';
    out.push(`${chart.metricWord} MiB, ${line.label}${name}`);
    plot(line, chart).forEach((row, i) => {
      const label = i === 0 ? top : i === ROWS - 1 ? bottom : '';
      const tick = i === 0 || i === ROWS - 1 ? '┤' : '│';
      out.push(`${label.padStart(width)} ${tick}${row}`.trimEnd());
    });
    out.push(`${' '.repeat(width)} └${axis}`);
    const ends = `T+0s … ${seconds(chart.endS)}`;
    const soak =
      chart.soakStartS !== null && chart.soakEndS !== null && chart.soak.some(Boolean)
        ? `   ${paint('═', 'yellow')} soak ${seconds(chart.soakStartS)} to ${seconds(chart.soakEndS)}`
        : '';
    out.push(`${' '.repeat(width + 2)}${paint(ends, 'dim')}${soak}`);
  }
  return out;
}
