/**
 * The one error type of serving-gate. Thrown anywhere below the faces, caught once at the
 * top (action main, CLI), where `code` picks the exit code and `help` tells the user what
 * to do next.
 */
export type ErrorCode =
  | 'usage' // bad input, flag or file: exit 2
  | 'config' // the candidate config cannot be read or is ill-formed: exit 2
  | 'deploy' // the deploy command failed: counts as a failed gate
  | 'endpoint' // the endpoint refused, hung or answered nonsense
  | 'smi' // the GPU reader is missing or broken: infra
  | 'infra' // the runner is broken, not the candidate: exit 3
  | 'timeout'
  | 'internal';

export class GateError extends Error {
  readonly code: ErrorCode;
  readonly help: string | undefined;

  constructor(code: ErrorCode, message: string, help?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GateError';
    this.code = code;
    this.help = help;
  }
}

export const EXIT = { pass: 0, fail: 1, usage: 2, infra: 3 } as const;

/** The exit code an error maps to when it escapes to a face. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof GateError) {
    if (error.code === 'usage' || error.code === 'config') return EXIT.usage;
    if (error.code === 'infra' || error.code === 'smi') return EXIT.infra;
    return EXIT.fail;
  }
  return EXIT.fail;
}

/** One line for a person: the message and, when known, what to do. */
export function describeError(error: unknown): string {
  if (error instanceof GateError) {
    return error.help ? `${error.message}\n  → ${error.help}` : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
