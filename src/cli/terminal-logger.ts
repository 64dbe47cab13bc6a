import type { Logger } from '../log.js';
import type { CliIO } from './io.js';

/**
 * Stage names and findings go to stderr so stdout stays the report (or JSON). The soak's
 * progress line is redrawn in place on a terminal and printed every 10 s otherwise.
 */
export function terminalLogger(io: CliIO, options: { quiet: boolean }): Logger {
  const tty = io.stderr.isTTY === true;
  let lastProgress = 0;
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown) io.stderr.write('\r\u001b[2K');
    progressShown = false;
  };
  const line = (text: string) => {
    if (options.quiet) return;
    clearProgress();
    io.stderr.write(`${text}\n`);
  };
  return {
    info: line,
    warning: (text) => line(`warning: ${text}`),
    debug: (text) => {
      if (io.env.SERVING_GATE_DEBUG) line(`debug: ${text}`);
    },
    startGroup: (name) => line(`▸ ${name}`),
    endGroup: () => {},
    progress: (text) => {
      if (options.quiet) return;
      if (tty) {
        io.stderr.write(`\r\u001b[2K  ${text}`);
        progressShown = true;
      } else if (Date.now() - lastProgress >= 10_000) {
        lastProgress = Date.now();
        io.stderr.write(`  ${text}\n`);
      }
    },
  };
}
