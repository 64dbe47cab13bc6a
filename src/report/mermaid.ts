import type { ChartData } from './chart-data.js';

/**
 * The soak band first (light grey, drawn under the lines), then one colour per GPU.
 * GitHub's xychart draws no legend, so the summary names the colours in words.
 */
const BAND_COLOUR = '#d0d7de';
export const LINE_COLOURS: readonly { hex: string; word: string }[] = [
  { hex: '#0969da', word: 'blue' },
  { hex: '#cf222e', word: 'red' },
  { hex: '#1a7f37', word: 'green' },
  { hex: '#8250df', word: 'purple' },
  { hex: '#bf8700', word: 'yellow' },
  { hex: '#1b7c83', word: 'teal' },
  { hex: '#bc4c00', word: 'orange' },
  { hex: '#57606a', word: 'grey' },
];

/**
 * Text inside a quoted Mermaid string: a quote would end it, and GPU names come from
 * nvidia-smi, so only plain characters pass.
 */
export function mermaidText(text: string): string {
  return text
    .replace(/[^A-Za-z0-9 .,:;()+/_-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function seconds(value: number): string {
  return value >= 100 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}

/** One metric's chart as a Mermaid `xychart-beta`, the soak window as a shaded band. */
export function renderMermaidChart(chart: ChartData): string {
  const hasSoak = chart.soak.some(Boolean);
  const palette = [...(hasSoak ? [BAND_COLOUR] : []), ...LINE_COLOURS.map((c) => c.hex)];
  const gpu =
    chart.lines.length === 1 && chart.lines[0]
      ? ` on ${chart.lines[0].label}${chart.lines[0].gpuName ? ` (${chart.lines[0].gpuName})` : ''}`
      : '';
  const window =
    hasSoak && chart.soakStartS !== null && chart.soakEndS !== null
      ? `, soak T+${seconds(chart.soakStartS)}s to T+${seconds(chart.soakEndS)}s shaded`
      : '';
  const lines = [
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette.join(', ')}"}}}}%%`,
    'xychart-beta',
    `  title "${mermaidText(`${chart.metricWord} used${gpu}${window}`)}"`,
    `  x-axis "seconds since the gate started" 0 --> ${seconds(chart.endS)}`,
    `  y-axis "${mermaidText(chart.metricWord)} MiB" ${chart.yMinMiB} --> ${chart.yMaxMiB}`,
  ];
  if (hasSoak) {
    const band = chart.soak.map((inSoak) => (inSoak ? chart.yMaxMiB : chart.yMinMiB));
    lines.push(`  bar "soak" [${band.join(', ')}]`);
  }
  for (const line of chart.lines) {
    lines.push(
      `  line "${mermaidText(line.label)}" [${line.values.map((v) => Math.round(v)).join(', ')}]`,
    );
  }
  return lines.join('\n');
}
