import { describe, expect, it } from 'vitest';
import { smiView } from '../../src/sim/gpu-state.js';
import { readLiveState } from '../../src/sim/state-file.js';
import { scenario, startIn, tempDir } from './helpers.js';

describe('GPU residue after the server exits', () => {
  it('leaves the GPU idle by default', async () => {
    const dir = tempDir();
    const sim = await startIn(dir.path, '');
    await sim.close();
    const view = smiView(scenario(''), readLiveState(sim.statePath, Date.now()), new Date());
    expect(view.gpus[0]).toMatchObject({ fbUsedMiB: 0, bar1UsedMiB: 1, processes: [] });
  });

  it('keeps the scenario residue in view once the server has gone, with no process', async () => {
    const dir = tempDir();
    const yaml = 'smi:\n  residueAfterExit: {fb: 2GiB, bar1: 600MiB}\n';
    const sim = await startIn(dir.path, yaml);
    await sim.close();
    // Long after the owner exited, the stand-in still shows what the GPU kept.
    const later = Date.now() + 60_000;
    const view = smiView(scenario(yaml), readLiveState(sim.statePath, later), new Date());
    expect(view.gpus[0]).toMatchObject({ fbUsedMiB: 2048, bar1UsedMiB: 601, processes: [] });
  });
});
