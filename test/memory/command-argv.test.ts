import { describe, expect, it } from 'vitest';
import { splitCommand } from '../../src/memory/command-argv.js';

describe('splitCommand', () => {
  it.each([
    ['nvidia-smi', ['nvidia-smi']],
    ['  /usr/lib/wsl/lib/nvidia-smi  ', ['/usr/lib/wsl/lib/nvidia-smi']],
    [
      'node dist/cli/index.js simulate smi --scenario x.yaml',
      ['node', 'dist/cli/index.js', 'simulate', 'smi', '--scenario', 'x.yaml'],
    ],
    ['docker exec "my gpu box" nvidia-smi', ['docker', 'exec', 'my gpu box', 'nvidia-smi']],
    ["sh -c 'echo $HOME; nvidia-smi'", ['sh', '-c', 'echo $HOME; nvidia-smi']],
    ['a\\ b "c \\"d\\" \\\\ e" \'f\\g\'', ['a b', 'c "d" \\ e', 'f\\g']],
    [
      'C:\\Windows\\System32\\nvidia-smi.exe -i 0',
      ['C:\\Windows\\System32\\nvidia-smi.exe', '-i', '0'],
    ],
    ['tool "" end', ['tool', '', 'end']],
    ['x"y z"w', ['xy zw']],
  ])('splits %s', (text, argv) => {
    expect(splitCommand(text, 'nvidia-smi')).toEqual(argv);
  });

  it('refuses an unterminated quote, naming the input', () => {
    expect(() => splitCommand('nvidia-smi "oops', 'nvidia-smi')).toThrow(
      /nvidia-smi: unterminated double quote/,
    );
  });

  it('refuses an empty command as a usage error', () => {
    expect(() => splitCommand('   ', 'nvidia-smi')).toThrow(
      expect.objectContaining({ code: 'usage' }),
    );
  });
});
