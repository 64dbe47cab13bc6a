import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');

/** Files the Actions runner gives a step, in a fresh temp folder. */
export interface StepFiles {
  dir: string;
  summary: string;
  output: string;
  state: string;
}

export function stepFiles(): StepFiles {
  const dir = mkdtempSync(join(tmpdir(), 'sg-action-'));
  const files = {
    dir,
    summary: join(dir, 'summary.md'),
    output: join(dir, 'output.txt'),
    state: join(dir, 'state.txt'),
  };
  for (const path of [files.summary, files.output, files.state]) writeFileSync(path, '');
  return files;
}

/** The environment the runner sets for a JavaScript action's step. */
export function actionEnv(
  files: StepFiles,
  inputs: Record<string, string>,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_WORKSPACE: files.dir,
    GITHUB_REPOSITORY: 'example/serving-configs',
    RUNNER_TEMP: files.dir,
    ...extra,
  };
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return env;
}

export interface StepRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

export function runStep(
  entry: 'main' | 'post',
  env: NodeJS.ProcessEnv,
  options: { timeoutMs: number; onStart?: (child: ChildProcess) => void },
): Promise<StepRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'dist', entry, 'index.js')], {
      cwd: env.GITHUB_WORKSPACE,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not finish within ${options.timeoutMs} ms\n${stdout}`));
    }, options.timeoutMs);
    options.onStart?.(child);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout });
    });
  });
}

/** Parses the `name<<delimiter` file format of GITHUB_OUTPUT and GITHUB_STATE. */
export function readCommandFile(path: string): Record<string, string> {
  const text = readFileSync(path, 'utf8');
  const values: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) values[match[1]!] = match[3]!;
  return values;
}
