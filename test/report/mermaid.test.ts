import { describe, expect, it } from 'vitest';
import { chartData } from '../../src/report/chart-data.js';
import { mermaidText, renderMermaidChart } from '../../src/report/mermaid.js';
import { fixture } from './load-fixture.js';
import { parseMermaid } from './mermaid-parse.js';

describe('renderMermaidChart', () => {
  it('writes an xychart-beta that mermaid parses, with the soak band under the lines', async () => {
    const [chart] = chartData(fixture('fail'));
    const text = renderMermaidChart(chart!);
    await expect(parseMermaid(text)).resolves.toMatchObject({ diagramType: 'xychart' });
    const statements = text.split('\n').map((l) => l.trim().split(' ')[0]);
    expect(statements.indexOf('bar')).toBeLessThan(statements.indexOf('line'));
  });

  it('still parses when the GPU name holds quotes and brackets', async () => {
    const [chart] = chartData(fixture('pass'));
    const hostile = {
      ...chart!,
      lines: chart!.lines.map((l) => ({ ...l, gpuName: 'Evil" ] line [1] %%{x}%% "GPU' })),
    };
    const text = renderMermaidChart(hostile);
    expect(text).not.toContain('Evil"');
    await expect(parseMermaid(text)).resolves.toMatchObject({ diagramType: 'xychart' });
  });

  it('draws no band when the run had no soak', async () => {
    const [chart] = chartData(fixture('pass'));
    const text = renderMermaidChart({ ...chart!, soak: chart!.soak.map(() => false) });
    expect(text).not.toContain('bar "soak"');
    await expect(parseMermaid(text)).resolves.toMatchObject({ diagramType: 'xychart' });
  });
});

describe('mermaidText', () => {
  it('lets only plain characters into a quoted string', () => {
    expect(mermaidText('A100 "80GB" <b>%%{init}')).toBe('A100 80GB b init');
  });
});
