import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { parseScenarioText } from '../../src/sim/scenario/load.js';
import type { Scenario } from '../../src/sim/scenario/schema.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/simulator.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ENTRY = join(HERE, 'fixtures', 'simulate-entry.ts');
export const REPO = resolve(HERE, '../..');

/** Every HTTP call in these tests gives up after this. */
export const HTTP_DEADLINE_MS = 5000;

export function scenario(yaml: string): Scenario {
  return parseScenarioText(yaml, 'test scenario');
}

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'sim-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function writeTemp(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

let started = 0;

/** A simulator on a free loopback port with its own state file in `dir`. */
export async function startIn(dir: string, yaml = ''): Promise<RunningSimulator> {
  const sim = await startSimulator({
    scenario: scenario(yaml),
    port: 0,
    statePath: join(dir, `gpu-state-${++started}.json`),
    stateIntervalMs: 100,
  });
  await sim.ready;
  return sim;
}

export function get(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(HTTP_DEADLINE_MS) });
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return get(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and checked by matchers
type Json = any;

/** A response body as JSON. */
export async function jsonOf(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

/** The `data:` payloads of an SSE body, in order. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .map((event) => event.trim())
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

export function words(count: number): string {
  return Array.from({ length: count }, (_, i) => `w${i}`).join(' ');
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Child {
  /** Resolves with what the process printed once it ends (killed at the deadline). */
  done: Promise<ChildResult>;
  stdout(): string;
  /** Resolves once stdout holds `pattern` (rejects at the deadline). */
  waitFor(pattern: RegExp | ((out: string) => boolean)): Promise<string>;
  kill(signal?: NodeJS.Signals): void;
}

/** Runs `serving-gate simulate …` through the test entry, killed after `deadlineMs`. */
export function runEntry(args: string[], deadlineMs = 15_000): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const deadline = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  const done = new Promise<ChildResult>((resolveDone) => {
    child.once('close', (code, signal) => {
      clearTimeout(deadline);
      for (const listener of listeners) listener();
      resolveDone({ code, signal, stdout, stderr });
    });
  });

  return {
    done,
    stdout: () => stdout,
    kill: (signal = 'SIGTERM') => child.kill(signal),
    waitFor(pattern) {
      const matches = (out: string) =>
        typeof pattern === 'function' ? pattern(out) : pattern.test(out);
      return new Promise((resolveWait, reject) => {
        const check = () => {
          if (matches(stdout)) {
            listeners.delete(check);
            resolveWait(stdout);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            reject(new Error(`process ended first; stdout: ${stdout}; stderr: ${stderr}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
  };
}

type XmlNode = Record<string, unknown>;

/** Element paths of an XML document in document order, each once (`a/b/c`). */
export function elementPaths(xml: string): string[] {
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false });
  const seen = new Set<string>();
  const walk = (nodes: XmlNode[], prefix: string) => {
    for (const node of nodes) {
      for (const [key, value] of Object.entries(node)) {
        if (key === ':@' || key === '#text' || key.startsWith('?')) continue;
        const path = prefix ? `${prefix}/${key}` : key;
        seen.add(path);
        if (Array.isArray(value)) walk(value as XmlNode[], path);
      }
    }
  };
  walk(parser.parse(xml) as XmlNode[], '');
  return [...seen];
}

/** The parsed document with plain objects, for reading values. */
export function parseXml(xml: string): XmlNode {
  return new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml) as XmlNode;
}
