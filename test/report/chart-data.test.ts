import { describe, expect, it } from 'vitest';
import { chartData } from '../../src/report/chart-data.js';
import { fixture } from './load-fixture.js';
import { samples, seriesView, withMemory } from './samples.js';

describe('chartData', () => {
  it('draws one chart per judged metric, BAR1 first, one line per GPU', () => {
    const charts = chartData(fixture('fail'));
    expect(charts.map((c) => c.metric)).toEqual(['bar1', 'fb']);
    expect(charts[0]!.lines.map((l) => l.label)).toEqual(['GPU 0', 'GPU 1']);
  });

  it('keeps the highest reading of a bin, so a peak between idle readings shows', () => {
    const results = withMemory(
      samples([
        [0, 'ready', [1000]],
        [1, 'soak', [1500]],
        [2, 'soak', [1000]],
        [10, 'settle', [1000]],
      ]),
      [seriesView(0, 'bar1')],
    );
    const [chart] = chartData(results, 2);
    expect(chart!.lines[0]!.values).toEqual([1500, 1000]);
  });

  it('repeats the last value across a bin with no reading instead of dropping to zero', () => {
    const results = withMemory(
      samples([
        [0, 'ready', [1000]],
        [1, 'soak', [1200]],
        [9, 'soak', [1300]],
        [10, 'settle', [1300]],
      ]),
      [seriesView(0, 'bar1')],
    );
    const [chart] = chartData(results, 4);
    expect(chart!.lines[0]!.values).toEqual([1200, 1200, 1200, 1300]);
  });

  it('marks the bins whose middle lies in the soak window', () => {
    const rows: [number, 'ready' | 'soak' | 'settle', number[]][] = [];
    for (let s = 0; s <= 10; s += 1)
      rows.push([s, s < 4 ? 'ready' : s < 8 ? 'soak' : 'settle', [1000]]);
    const results = withMemory(samples(rows), [seriesView(0, 'bar1')], {
      startMs: 4000,
      endMs: 8000,
    });
    const [chart] = chartData(results, 5);
    // Bins of 2 s: middles at 1, 3, 5, 7, 9 s.
    expect(chart!.soak).toEqual([false, false, true, true, false]);
    expect([chart!.soakStartS, chart!.soakEndS]).toEqual([4, 8]);
  });

  it('takes the soak window from the samples when the file has no soak times', () => {
    const results = withMemory(
      samples([
        [0, 'ready', [1000]],
        [2, 'soak', [1000]],
        [4, 'soak', [1000]],
        [6, 'settle', [1000]],
      ]),
      [seriesView(0, 'bar1')],
    );
    const chart = chartData({ ...results, soak: null }, 3)[0]!;
    expect([chart.soakStartS, chart.soakEndS]).toEqual([2, 4]);
    expect(chart.soak).toEqual([false, true, false]);
  });

  it('stretches the scale to the total when memory comes close to it', () => {
    const results = withMemory(
      samples([
        [0, 'soak', [6000]],
        [1, 'soak', [7000]],
      ]),
      [seriesView(0, 'bar1')],
    );
    expect(chartData(results)[0]!.yMaxMiB).toBe(8192);
  });

  it('draws nothing from fewer than two samples', () => {
    const results = withMemory(samples([[0, 'ready', [1000]]]), [seriesView(0, 'bar1')]);
    expect(chartData(results)).toEqual([]);
    expect(chartData(fixture('infra'))).toEqual([]);
  });

  it('leaves out metrics the analysis did not judge', () => {
    const results = withMemory(
      samples([
        [0, 'ready', [1000]],
        [1, 'soak', [1000]],
      ]),
      [seriesView(0, 'bar1')],
    );
    expect(chartData(results).map((c) => c.metric)).toEqual(['bar1']);
  });
});
