import { describe, expect, it } from 'vitest';
import { GateError } from '../../src/errors.js';
import { DcgmSource } from '../../src/memory/dcgm-source.js';
import { NvidiaSmiSource } from '../../src/memory/smi-sampler.js';
import { createMemorySource } from '../../src/memory/source.js';
import { fakeSmiArgv } from './fake-smi.js';

const options = { nvidiaSmiArgv: fakeSmiArgv(), intervalMs: 1000 };

describe('createMemorySource', () => {
  it('makes an nvidia-smi source that runs the configured command', async () => {
    const source = createMemorySource('nvidia-smi', options);
    expect(source).toBeInstanceOf(NvidiaSmiSource);
    expect(await source.readOnce()).toMatchObject({ kind: 'ok', driverVersion: '590.48.01' });
  });

  it('makes a DCGM source for dcgm:<url>', () => {
    expect(createMemorySource('dcgm:http://127.0.0.1:9400/metrics', options)).toBeInstanceOf(
      DcgmSource,
    );
  });

  it.each(['nvml', 'dcgm:', 'dcgm:127.0.0.1:9400', 'dcgm:file:///etc/passwd', ''])(
    'refuses %j naming memory-source and the valid forms',
    (spec) => {
      let error: unknown;
      try {
        createMemorySource(spec, options);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GateError);
      expect(error).toMatchObject({ code: 'usage' });
      expect((error as GateError).message).toMatch(/^memory-source: /);
      expect((error as GateError).help).toContain('dcgm:<url>');
    },
  );
});
