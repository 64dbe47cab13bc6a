// Writes action.yml and the README's input and output tables from the one list of inputs
// and outputs (src/plan/inputs.ts). Run: npx tsx scripts/action-yml.ts. A test fails when
// either is out of step.
import { readFileSync, writeFileSync } from 'node:fs';
import { INPUTS, OUTPUTS } from '../src/plan/inputs.js';

export function renderActionYml(): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    'name: serving-gate',
    'description: >-',
    '  Deploy a candidate LLM-serving config, run its critical path, soak it while sampling',
    '  GPU memory (BAR1 above all), and block the merge when generation fails or memory',
    '  keeps growing.',
    'author: serving-gate',
    'branding:',
    '  icon: shield',
    '  color: orange',
    '',
    'inputs:',
  ];
  for (const input of INPUTS) {
    if (input.cliOnly) continue;
    lines.push(
      `  ${input.name}:`,
      `    description: ${q(input.description)}`,
      '    required: false',
    );
    if (input.default !== undefined) lines.push(`    default: ${q(input.default)}`);
  }
  lines.push('', 'outputs:');
  for (const output of OUTPUTS) {
    lines.push(`  ${output.name}:`, `    description: ${q(output.description)}`);
  }
  lines.push(
    '',
    'runs:',
    '  using: node24',
    '  main: dist/main/index.js',
    '  post: dist/post/index.js',
    '  post-if: always()',
  );
  return `${lines.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The Markdown tables of inputs and outputs that stand between markers in README.md. */
export function renderReadmeTables(): { inputs: string; outputs: string } {
  const inputs = [
    '| input / flag | default | what it does |',
    '| --- | --- | --- |',
    ...INPUTS.filter((i) => !i.cliOnly).map(
      (i) => `| \`${i.name}\` | ${i.default ? `\`${i.default}\`` : ''} | ${cell(i.description)} |`,
    ),
  ].join('\n');
  const outputs = [
    '| output | what it holds |',
    '| --- | --- |',
    ...OUTPUTS.map((o) => `| \`${o.name}\` | ${cell(o.description)} |`),
  ].join('\n');
  return { inputs, outputs };
}

export function withReadmeTables(readme: string): string {
  const tables = renderReadmeTables();
  let out = readme;
  for (const [name, table] of Object.entries(tables)) {
    const pattern = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
    out = out.replace(pattern, (_all, start: string, end: string) => `${start}\n${table}\n${end}`);
  }
  return out;
}

if (process.argv[1]?.endsWith('action-yml.ts')) {
  writeFileSync('action.yml', renderActionYml());
  writeFileSync('README.md', withReadmeTables(readFileSync('README.md', 'utf8')));
}
