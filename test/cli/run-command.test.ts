import { describe, expect, it } from 'vitest';
import { unknownOptionHelp } from '../../src/cli/commands/run.js';

describe('serving-gate run flags', () => {
  it('suggests the nearest flag for a misspelt one', () => {
    const message = "Unknown option '--soak-duraton'. To specify a positional argument…";
    expect(unknownOptionHelp(message)).toBe(
      'unknown option --soak-duraton; did you mean --soak-duration?',
    );
  });

  it('suggests nothing when no flag is close', () => {
    expect(unknownOptionHelp("Unknown option '--frobnicate-everything'")).toBe(
      'unknown option --frobnicate-everything',
    );
  });
});
