/**
 * The small JSON path dialect of suite expectations: `$.choices[0].text`,
 * `data[0]["max_model_len"]`, or a bare `status`. Names and indices only: no wildcards,
 * filters or recursion, so a path names exactly one value and its failure message can
 * say which step was missing.
 */

export type PathStep = string | number;

const NAME = /^[A-Za-z_$][\w$-]*/;

/** Parses a path into steps; throws an Error saying what is wrong and where. */
export function parseJsonPath(text: string): PathStep[] {
  const steps: PathStep[] = [];
  let rest = text.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  else if (rest !== '' && !rest.startsWith('[')) rest = `.${rest}`;

  while (rest !== '') {
    if (rest.startsWith('.')) {
      const name = NAME.exec(rest.slice(1));
      if (!name) throw new Error(`"${text}": expected a name after "." at "${rest}"`);
      steps.push(name[0]);
      rest = rest.slice(1 + name[0].length);
      continue;
    }
    const index = /^\[(\d+)\]/.exec(rest);
    if (index) {
      steps.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    const quoted = /^\[(?:"([^"]*)"|'([^']*)')\]/.exec(rest);
    if (quoted) {
      steps.push(quoted[1] ?? quoted[2] ?? '');
      rest = rest.slice(quoted[0].length);
      continue;
    }
    throw new Error(`"${text}": cannot read "${rest}"; use .name, [0] or ["name"]`);
  }
  return steps;
}

export type PathLookup = { found: true; value: unknown } | { found: false; missing: string };

/** The value at `steps`, or which step was not there. */
export function readJsonPath(value: unknown, steps: readonly PathStep[]): PathLookup {
  let current = value;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (typeof step === 'number' && Array.isArray(current) && step < current.length) {
      current = current[step];
      continue;
    }
    if (
      typeof step === 'string' &&
      typeof current === 'object' &&
      current !== null &&
      !Array.isArray(current) &&
      Object.hasOwn(current, step)
    ) {
      current = (current as Record<string, unknown>)[step];
      continue;
    }
    return { found: false, missing: formatJsonPath(steps.slice(0, i + 1)) };
  }
  return { found: true, value: current };
}

export function formatJsonPath(steps: readonly PathStep[]): string {
  return `$${steps
    .map((step) =>
      typeof step === 'number'
        ? `[${step}]`
        : NAME.exec(step)?.[0] === step
          ? `.${step}`
          : `[${JSON.stringify(step)}]`,
    )
    .join('')}`;
}
