import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/cli/commands/report.js';
import type { CliIO } from '../../src/cli/io.js';
import { GateError } from '../../src/errors.js';
import { renderJUnit } from '../../src/report/junit.js';
import { renderSummary } from '../../src/report/summary.js';
import { renderText } from '../../src/report/text.js';
import { fixture } from './load-fixture.js';

const FAIL = join(import.meta.dirname, 'fixtures', 'fail.json');

function io(options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  let stdout = '';
  const cli: CliIO = {
    stdout: { write: (t: string) => (stdout += t), isTTY: options.tty ?? false },
    stderr: { write: () => true },
    stdin: Readable.from([]),
    env: options.env ?? {},
    cwd: import.meta.dirname,
  };
  return { cli, out: () => stdout };
}

describe('serving-gate report', () => {
  it.each([
    ['markdown', () => renderSummary(fixture('fail'))],
    ['junit', () => renderJUnit(fixture('fail'))],
    ['text', () => renderText(fixture('fail'), { colour: false })],
  ])('renders --format %s as the report module does', async (format, expected) => {
    const { cli, out } = io();
    expect(await reportCommand([FAIL, '--format', format], cli)).toBe(0);
    expect(out()).toBe(expected());
  });

  it('prints text by default, in colour only on a terminal without NO_COLOR', async () => {
    const plain = io();
    await reportCommand([FAIL], plain.cli);
    expect(plain.out()).not.toContain('\u001b[');
    const tty = io({ tty: true });
    await reportCommand([FAIL], tty.cli);
    expect(tty.out()).toContain('\u001b[31m');
    const noColour = io({ tty: true, env: { NO_COLOR: '1' } });
    await reportCommand([FAIL], noColour.cli);
    expect(noColour.out()).not.toContain('\u001b[');
  });

  it('prints the results file itself with --json', async () => {
    const { cli, out } = io();
    await reportCommand([FAIL, '--json'], cli);
    expect(JSON.parse(out())).toEqual(fixture('fail'));
  });

  it('refuses an unknown format, a missing file and an unknown flag as usage errors', async () => {
    const usage = { code: 'usage' };
    await expect(reportCommand([FAIL, '--format', 'html'], io().cli)).rejects.toMatchObject(usage);
    await expect(reportCommand([], io().cli)).rejects.toMatchObject(usage);
    await expect(reportCommand([FAIL, '--colour'], io().cli)).rejects.toBeInstanceOf(GateError);
    await expect(reportCommand(['no-such.json'], io().cli)).rejects.toMatchObject(usage);
  });
});
