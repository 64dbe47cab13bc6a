// Writes action.yml from the one list of inputs and outputs (src/plan/inputs.ts).
// Run: npx tsx scripts/action-yml.ts. A test fails when action.yml is out of step.
import { writeFileSync } from 'node:fs';
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

if (process.argv[1]?.endsWith('action-yml.ts')) writeFileSync('action.yml', renderActionYml());
