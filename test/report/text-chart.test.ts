import { describe, expect, it } from 'vitest';
import { chartData } from '../../src/report/chart-data.js';
import { renderTextChart } from '../../src/report/text-chart.js';
import { fixture } from './load-fixture.js';

describe('renderTextChart', () => {
  const [chart] = chartData(fixture('fail'));

  it('draws a block plot per GPU with its scale and the soak as a double rule', () => {
    const lines = renderTextChart(chart!);
    expect(lines[0]).toBe('BAR1 MiB, GPU 0 (NVIDIA H100 80GB HBM3)');
    expect(lines[1]).toMatch(/^8192 ┤/);
    expect(lines[5]).toMatch(/^ {3}0 ┤/);
    expect(lines[6]).toBe('     └───═══════──');
    expect(lines[7]).toContain('soak T+8s to T+29s');
    expect(lines.filter((l) => l.startsWith('BAR1 MiB'))).toHaveLength(2);
  });

  it('fills the column of a value at the top of the scale', () => {
    const lines = renderTextChart(chart!);
    // The last bins hold 8192 MiB, the top: every row ends in a full block.
    for (const row of lines.slice(1, 6)) expect(row.endsWith('█')).toBe(true);
  });

  it('paints only through the painter it is given', () => {
    expect(renderTextChart(chart!).join('\n')).not.toContain('\u001b');
    const painted = renderTextChart(chart!, (text) => `<${text}>`);
    expect(painted[6]).toContain('<═>');
  });

  it('keeps escape sequences in a GPU name away from the terminal', () => {
    const hostile = {
      ...chart!,
      lines: chart!.lines.map((l) => ({ ...l, gpuName: '\u001b[2JH100' })),
    };
    expect(renderTextChart(hostile)[0]).toBe('BAR1 MiB, GPU 0 (H100)');
  });
});
