import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argvProblem, runArgv } from '../../src/deploy/run-argv.js';

const options = (timeoutMs = 10_000) => ({
  cwd: mkdtempSync(join(tmpdir(), 'sg-argv-')),
  env: process.env,
  timeoutMs,
});

describe('runArgv', () => {
  it('gives words to the program untouched, with no shell to read them', async () => {
    const word = '$(echo hacked); `id` > out.txt';
    const result = await runArgv(
      [process.execPath, '-e', 'process.stdout.write(process.argv[1])', word],
      options(),
    );
    expect(result).toMatchObject({ exitCode: 0, stdout: word, timedOut: false, spawnError: null });
  });

  it('kills a program at its deadline', async () => {
    const result = await runArgv(
      [process.execPath, '-e', 'setTimeout(() => {}, 60000)'],
      options(300),
    );
    expect(result.timedOut).toBe(true);
    expect(argvProblem(result, 'docker compose up', 300)).toBe(
      'docker compose up did not finish within 300ms',
    );
  });

  it('names a program that is not installed', async () => {
    const result = await runArgv(['no-such-docker-binary', 'compose'], options());
    expect(result.spawnError).toBe('no-such-docker-binary could not be started (ENOENT)');
    expect(argvProblem(result, 'docker compose up', 1000)).toBe(
      'docker compose up: no-such-docker-binary could not be started (ENOENT)',
    );
  });

  it("quotes the last line of a failed command's output", async () => {
    const result = await runArgv(
      [
        process.execPath,
        '-e',
        'console.error("pulling"); console.error("no such image"); process.exit(18)',
      ],
      options(),
    );
    expect(argvProblem(result, 'docker compose up', 1000)).toBe(
      'docker compose up exited 18: no such image',
    );
  });
});
