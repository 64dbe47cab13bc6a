// Bundles the three faces with ncc: the action's main and post steps, and the CLI.
// Output is byte-for-byte repeatable; CI rebuilds and fails when dist/ differs.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const entries = [
  ['src/main.ts', 'dist/main'],
  ['src/post.ts', 'dist/post'],
  ['src/cli/index.ts', 'dist/cli'],
];

rmSync('dist', { recursive: true, force: true });
for (const [entry, out] of entries) {
  execFileSync(
    process.execPath,
    [
      'node_modules/@vercel/ncc/dist/ncc/cli.js',
      'build',
      entry,
      '-o',
      out,
      '-q',
      '--target',
      'es2022',
    ],
    { stdio: 'inherit' },
  );
}

const cli = 'dist/cli/index.js';
const text = readFileSync(cli, 'utf8');
if (!text.startsWith('#!')) writeFileSync(cli, `#!/usr/bin/env node\n${text}`);
// npm marks bin files executable on install; commit it so, so a checkout needs no chmod.
chmodSync(cli, 0o755);
