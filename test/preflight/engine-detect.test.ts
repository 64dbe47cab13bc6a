import { describe, expect, it } from 'vitest';
import {
  engineFromImage,
  findLauncher,
  versionFromImage,
} from '../../src/preflight/engine-detect.js';

const words = (text: string) =>
  text
    .split(' ')
    .map((t, i) =>
      ['&&', ';'].includes(t) ? { text: t, line: 1, operator: true } : { text: t, line: i + 1 },
    );

describe('engineFromImage', () => {
  it.each([
    ['vllm/vllm-openai:v0.10.1.1', 'vllm'],
    ['rocm/vllm:latest', 'vllm'],
    ['lmsysorg/sglang:v0.5.2-cu126', 'sglang'],
    ['ghcr.io/huggingface/text-generation-inference:3.3.4', 'tgi'],
    ['ghcr.io/ggml-org/llama.cpp:server-cuda', 'llamacpp'],
    ['ollama/ollama:0.12.3', 'ollama'],
    ['postgres:16', null],
    ['registry.local:5000/team/app:vllm', null],
  ])('%s is %s', (image, engine) => {
    expect(engineFromImage(image)).toBe(engine);
  });
});

describe('versionFromImage', () => {
  it('reads numeric tags and ignores named ones', () => {
    expect(versionFromImage('vllm/vllm-openai:v0.10.1.1')).toBe('0.10.1.1');
    expect(versionFromImage('lmsysorg/sglang:v0.5.2-cu126')).toBe('0.5.2');
    expect(versionFromImage('registry.local:5000/vllm-openai:0.13.0')).toBe('0.13.0');
    expect(versionFromImage('vllm/vllm-openai:latest')).toBeNull();
    expect(versionFromImage('vllm/vllm-openai')).toBeNull();
  });
});

describe('findLauncher', () => {
  it('finds vllm serve and takes the words after it', () => {
    const launch = findLauncher(words('vllm serve Qwen/Qwen3 --max-model-len 4096'));
    expect(launch?.engine).toBe('vllm');
    expect(launch?.args.map((w) => w.text)).toEqual(['Qwen/Qwen3', '--max-model-len', '4096']);
  });

  it('finds python -m launchers and stops at the next shell operator', () => {
    const launch = findLauncher(
      words('pip install x && python3 -m sglang.launch_server --model-path m && echo done'),
    );
    expect(launch?.engine).toBe('sglang');
    expect(launch?.args.map((w) => w.text)).toEqual(['--model-path', 'm']);
    expect(
      findLauncher(words('python -m vllm.entrypoints.openai.api_server --model m'))?.engine,
    ).toBe('vllm');
  });

  it('finds TGI, llama.cpp and Ollama launchers by their binaries', () => {
    expect(findLauncher(words('text-generation-launcher --model-id m'))?.engine).toBe('tgi');
    expect(findLauncher(words('/app/llama-server -m /models/x.gguf'))?.engine).toBe('llamacpp');
    expect(findLauncher(words('ollama serve'))?.engine).toBe('ollama');
  });

  it('finds nothing in a command that runs no engine', () => {
    expect(findLauncher(words('redis-server --save'))).toBeNull();
    expect(findLauncher(words('--model m --max-model-len 4096'))).toBeNull();
  });
});
