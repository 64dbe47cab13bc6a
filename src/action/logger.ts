import * as core from '@actions/core';
import type { Logger } from '../log.js';

/** Groups per stage, one line per finding; the soak's progress at most every 30 s. */
export function actionLogger(): Logger {
  let lastProgress = 0;
  return {
    info: (line) => core.info(line),
    warning: (line) => core.warning(line),
    debug: (line) => core.debug(line),
    startGroup: (name) => core.startGroup(name),
    endGroup: () => core.endGroup(),
    progress: (line) => {
      if (Date.now() - lastProgress < 30_000) return;
      lastProgress = Date.now();
      core.info(line);
    },
  };
}
