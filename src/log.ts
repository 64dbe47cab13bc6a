/**
 * How the gate talks to a person while it runs. The action maps it onto @actions/core
 * (groups, warnings); the CLI onto the terminal. The gate itself never prints.
 */
export interface Logger {
  info(line: string): void;
  warning(line: string): void;
  debug(line: string): void;
  /** Opens a named group for a stage (a collapsible section in Actions logs). */
  startGroup(name: string): void;
  endGroup(): void;
  /**
   * A progress line during the soak: redrawn in place on a terminal, printed every so
   * often elsewhere.
   */
  progress(line: string): void;
}

export const silentLogger: Logger = {
  info() {},
  warning() {},
  debug() {},
  startGroup() {},
  endGroup() {},
  progress() {},
};
