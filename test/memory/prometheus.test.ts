import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../src/memory/prometheus.js';
import { sharedFixture } from '../shared-fixtures.js';

describe('parsePrometheusText', () => {
  it('reads name, labels and value of each sample and skips HELP and TYPE lines', () => {
    const samples = parsePrometheusText(
      sharedFixture('dcgm-exporter/metrics-h100-590-load-with-bar1-counters.prom'),
    );
    expect(samples.map((s) => s.name)).toEqual([
      'DCGM_FI_DEV_SM_CLOCK',
      'DCGM_FI_DEV_MEM_CLOCK',
      'DCGM_FI_DEV_MEMORY_TEMP',
      'DCGM_FI_DEV_GPU_TEMP',
      'DCGM_FI_DEV_POWER_USAGE',
      'DCGM_FI_DEV_GPU_UTIL',
      'DCGM_FI_DEV_MEM_COPY_UTIL',
      'DCGM_FI_DEV_FB_FREE',
      'DCGM_FI_DEV_FB_USED',
      'DCGM_FI_DEV_FB_RESERVED',
      'DCGM_FI_DEV_BAR1_TOTAL',
      'DCGM_FI_DEV_BAR1_USED',
      'DCGM_FI_DEV_BAR1_FREE',
    ]);
    expect(samples[4]).toEqual({
      name: 'DCGM_FI_DEV_POWER_USAGE',
      labels: {
        gpu: '0',
        UUID: 'GPU-00000000-0000-0000-0000-000000000001',
        pci_bus_id: '00000000:00:09.0',
        device: 'nvidia0',
        modelName: 'NVIDIA H100 80GB HBM3',
        hostname: 'gpu-runner-01',
        DCGM_FI_DRIVER_VERSION: '590.48.01',
      },
      value: 588.39,
    });
  });

  it('reads a sample without labels, and one with a timestamp after the value', () => {
    expect(parsePrometheusText('up 1\nrequests_total{a="b"} 7 1712345678000\n')).toEqual([
      { name: 'up', labels: {}, value: 1 },
      { name: 'requests_total', labels: { a: 'b' }, value: 7 },
    ]);
  });

  it('unescapes label values and keeps commas and braces inside them', () => {
    const [sample] = parsePrometheusText('m{path="C:\\\\x",q="say \\"hi\\", {ok}",n="a\\nb"} 2\n');
    expect(sample?.labels).toEqual({ path: 'C:\\x', q: 'say "hi", {ok}', n: 'a\nb' });
  });

  it('reads NaN, +Inf, -Inf and exponent notation', () => {
    const values = parsePrometheusText('a NaN\nb +Inf\nc -Inf\nd 1.5e+06\n').map((s) => s.value);
    expect(values).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5e6]);
  });

  it('skips lines it cannot read and keeps the others', () => {
    const samples = parsePrometheusText(
      'good 1\nbad{a="x} 2\n{nolabel} 3\nworse abc\nfine{b="y"} 4\n',
    );
    expect(samples.map((s) => s.name)).toEqual(['good', 'fine']);
  });
});
