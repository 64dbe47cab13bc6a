import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSimulate } from '../../src/cli/commands/simulate.js';
import type { CliIO } from '../../src/cli/io.js';
import { GateError } from '../../src/errors.js';
import { get, jsonOf, REPO, runEntry, tempDir, writeTemp } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

function bufferIO(): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stdin: new PassThrough(),
    env: {},
    cwd: REPO,
    out: () => out,
    err: () => err,
  };
}

describe('serving-gate simulate', () => {
  it('prints one listening line, serves until SIGTERM, then removes its state file', async () => {
    const statePath = join(dir.path, 'state.json');
    const child = runEntry([
      '--port',
      '0',
      '--state',
      statePath,
      '--scenario',
      'examples/sim/healthy.yaml',
    ]);
    const out = await child.waitFor(/listening on (\S+)\n/);
    const url = /listening on (\S+)\n/.exec(out)![1]!;
    expect(out).toMatch(
      /^serving-gate simulator \(vllm\) listening on http:\/\/127\.0\.0\.1:\d+\n$/,
    );
    expect((await get(`${url}/health`)).status).toBe(200);
    expect(existsSync(statePath)).toBe(true);

    child.kill('SIGTERM');
    const result = await child.done;
    expect(result.code).toBe(0);
    expect(existsSync(statePath)).toBe(false);
  });

  it('advertises the --max-model-len it was given', async () => {
    const child = runEntry([
      '--port',
      '0',
      '--state',
      join(dir.path, 's.json'),
      '--max-model-len',
      '32768',
      '--scenario',
      'examples/sim/qwen3-30b-a3b-fp8-131k.yaml',
      '--quiet',
    ]);
    const out = await child.waitFor(/listening on (\S+)\n/);
    const url = /listening on (\S+)\n/.exec(out)![1]!;
    const models = await jsonOf(await get(`${url}/v1/models`));
    expect(models.data[0]).toMatchObject({ id: 'Qwen/Qwen3-30B-A3B-FP8', max_model_len: 32768 });
    child.kill('SIGINT');
    expect((await child.done).code).toBe(0);
  });

  it('exits non-zero when the scenario makes the process die', async () => {
    const scenarioPath = writeTemp(dir.path, 'dies.yaml', 'faults: { exitAfterRequests: 1 }\n');
    const io = bufferIO();
    const stop = new AbortController();
    const run = runSimulate(
      ['--port', '0', '--state', join(dir.path, 'x.json'), '--scenario', scenarioPath, '--quiet'],
      io,
      stop.signal,
    );
    const deadline = Date.now() + 10_000;
    while (!io.out().includes('listening') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const url = /listening on (\S+)\n/.exec(io.out())![1]!;
    await get(`${url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'hello' }),
    });
    expect(await run).toBe(1);
    expect(io.err()).toContain('exits after 1 requests');
  });

  it('refuses an unknown option and a bad port as usage errors', async () => {
    const never = new AbortController().signal;
    await expect(runSimulate(['--colour', 'red'], bufferIO(), never)).rejects.toBeInstanceOf(
      GateError,
    );
    await expect(runSimulate(['--port', 'eighty'], bufferIO(), never)).rejects.toMatchObject({
      code: 'usage',
    });
  });

  it('names the scenario file, key and line when the scenario is bad', async () => {
    const bad = writeTemp(dir.path, 'bad.yaml', 'maxModelLen: lots\n');
    const result = await runEntry(['--port', '0', '--scenario', bad]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${bad}:1:14: maxModelLen:`);
  });

  it('prints its usage with --help', async () => {
    const io = bufferIO();
    expect(await runSimulate(['--help'], io, new AbortController().signal)).toBe(0);
    expect(io.out()).toContain('serving-gate simulate smi');
  });
});
