import type { Word } from './shell-words.js';
import type { EngineName } from './types.js';

/** The engine an image name points at (`vllm/vllm-openai:v0.10.1`), or null. */
export function engineFromImage(image: string): EngineName | null {
  const name = imageName(image).toLowerCase();
  if (name.includes('vllm')) return 'vllm';
  if (name.includes('sglang')) return 'sglang';
  if (name.includes('text-generation-inference')) return 'tgi';
  if (/llama[.-_]?cpp/.test(name) || name.includes('llama-server')) return 'llamacpp';
  if (name.includes('ollama')) return 'ollama';
  return null;
}

/** The version an image tag names (`v0.10.1.1`, `0.5.2-cu126`), or null for `latest` and the like. */
export function versionFromImage(image: string): string | null {
  const tag = imageTag(image);
  const m = tag ? /^v?(\d+\.\d+(?:\.\d+)*)/.exec(tag) : null;
  return m ? m[1]! : null;
}

function imageName(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  return colon >= 0 ? noDigest.slice(0, colon) : noDigest;
}

function imageTag(image: string): string | null {
  const noDigest = image.split('@')[0] ?? image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  return colon >= 0 ? noDigest.slice(colon + 1) : null;
}

/** Where an engine's launcher stands in a command, and the words after it (its arguments). */
export interface Launch {
  engine: EngineName;
  /** The launcher word, for "recognised from" messages. */
  launcher: Word;
  args: Word[];
}

/**
 * Finds the engine's launcher in a command's words: `vllm serve`, `python3 -m
 * vllm.entrypoints.openai.api_server`, `python -m sglang.launch_server`, `sglang serve`,
 * `text-generation-launcher`, `llama-server`, `ollama serve`. Words after a shell operator
 * (`pip install x && vllm serve ...`) start a new command, so only that command's words
 * are its arguments. Returns null when no launcher is there.
 */
export function findLauncher(words: readonly Word[]): Launch | null {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const base = word.text.split('/').pop() ?? word.text;
    const next = words[i + 1]?.text;
    let engine: EngineName | null = null;
    let skip = 1;
    if (base === 'vllm' && next === 'serve') {
      engine = 'vllm';
      skip = 2;
    } else if (word.text.startsWith('vllm.entrypoints')) engine = 'vllm';
    else if (word.text === 'sglang.launch_server') engine = 'sglang';
    else if (base === 'sglang' && next === 'serve') {
      engine = 'sglang';
      skip = 2;
    } else if (base === 'text-generation-launcher') engine = 'tgi';
    else if (base === 'llama-server' || (base === 'server' && /llama/.test(word.text)))
      engine = 'llamacpp';
    else if (base === 'ollama' && next === 'serve') {
      engine = 'ollama';
      skip = 2;
    }
    if (engine) {
      const rest = words.slice(i + skip);
      const end = rest.findIndex((w) => w.operator);
      return { engine, launcher: word, args: end >= 0 ? rest.slice(0, end) : rest };
    }
  }
  return null;
}
