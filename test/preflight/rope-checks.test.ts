import { describe, expect, it } from 'vitest';
import { architectureFromHfConfig } from '../../src/preflight/architecture.js';
import { parseServingConfig } from '../../src/preflight/read-config.js';
import {
  compareVersions,
  modelWindow,
  ropeFindings,
  ropeReach,
} from '../../src/preflight/rope-checks.js';
import { hfConfig } from './paths.js';

const qwen = architectureFromHfConfig(hfConfig('qwen3-30b-a3b'), 'qwen');
const YARN_4 =
  'hf-overrides:\n  rope_scaling:\n    rope_type: yarn\n    factor: 4.0\n    original_max_position_embeddings: 32768\n';

function check(yaml: string, arch = qwen, file = 'c.yaml') {
  const config = parseServingConfig(yaml, file);
  const context = config.maxContextTokens!;
  return ropeFindings({ config, arch, maxContextTokens: context.value, contextAt: context });
}

describe('modelWindow and ropeReach', () => {
  it("is the position limit, or what the model's own YaRN reaches", () => {
    expect(modelWindow(qwen)).toBe(40_960);
    expect(modelWindow(architectureFromHfConfig(hfConfig('llama-3.1-8b-instruct'), 'l'))).toBe(
      131_072,
    );
    // DeepSeek-V3: 4096 × 40 = 163,840.
    expect(modelWindow(architectureFromHfConfig(hfConfig('deepseek-v3'), 'd'))).toBe(163_840);
  });

  it('stretches YaRN from its original length and other types from the position limit', () => {
    expect(
      ropeReach({ type: 'yarn', factor: 4, originalMaxPositionEmbeddings: 32768 }, 40960),
    ).toBe(131_072);
    expect(
      ropeReach({ type: 'dynamic', factor: 2, originalMaxPositionEmbeddings: null }, 40960),
    ).toBe(81_920);
    expect(
      ropeReach({ type: 'yarn', factor: null, originalMaxPositionEmbeddings: 32768 }, 40960),
    ).toBeNull();
  });
});

describe('ropeFindings', () => {
  it('passes the 131072-token YaRN factor 4 config of the story', () => {
    expect(check(`model: Qwen/Qwen3-30B-A3B\nmax-model-len: 131072\n${YARN_4}`)).toEqual([]);
  });

  it('refuses a context beyond the native window with no scaling, on the max-model-len line', () => {
    const [finding] = check('model: Qwen/Qwen3-30B-A3B\nmax-model-len: 131072\n');
    expect(finding).toMatchObject({
      rule: 'context-beyond-model',
      severity: 'error',
      file: 'c.yaml',
      line: 2,
    });
    expect(finding?.message).toContain(
      "max-model-len 131,072 is beyond the model's 40,960-token window",
    );
    expect(finding?.message).toContain('the engine refuses to start');
  });

  it('says VLLM_ALLOW_LONG_MAX_MODEL_LEN only moves the failure to the outputs', () => {
    const yaml =
      'services:\n  v:\n    image: vllm/vllm-openai\n    command: --model m --max-model-len 65536\n    environment:\n      VLLM_ALLOW_LONG_MAX_MODEL_LEN: 1\n';
    const [finding] = check(yaml);
    expect(finding?.rule).toBe('context-beyond-model');
    expect(finding?.message).toContain(
      'VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 lets the engine start, but positions past 40,960 give garbage',
    );
  });

  it('refuses scaling that does not reach the context: 2 × 32768 < 131072', () => {
    const [finding] = check(`model: m\nmax-model-len: 131072\n${YARN_4.replace('4.0', '2.0')}`);
    expect(finding).toMatchObject({ rule: 'rope-too-short', severity: 'error', line: 2 });
    expect(finding?.message).toContain(
      'yarn factor 2 × 32,768 = 65,536 tokens (hf-overrides, line 4). Raise the factor to 4',
    );
  });

  it('warns of static scaling far larger than the context needs', () => {
    const [finding] = check(`model: m\nmax-model-len: 32768\n${YARN_4}`);
    expect(finding).toMatchObject({ rule: 'rope-oversized', severity: 'warning', line: 4 });
    expect(finding?.message).toContain(
      "32,768 is within the model's 32,768 positions, so no scaling is needed",
    );
    const [half] = check(`model: m\nmax-model-len: 65536\n${YARN_4}`);
    expect(half?.message).toContain('factor 2 would reach 65,536');
  });

  it('does not warn of dynamic scaling, which leaves short prompts alone', () => {
    const yaml =
      'model: m\nmax-model-len: 32768\nhf-overrides: \'{"rope_scaling": {"rope_type": "dynamic", "factor": 4}}\'\n';
    expect(check(yaml)).toEqual([]);
  });

  it('refuses a vLLM YaRN without original_max_position_embeddings', () => {
    const yaml =
      'model: m\nmax-model-len: 131072\nhf-overrides: \'{"rope_scaling": {"rope_type": "yarn", "factor": 4}}\'\n';
    expect(check(yaml)[0]).toMatchObject({ rule: 'rope-incomplete', severity: 'error', line: 3 });
  });

  it('refuses --rope-scaling on a vLLM image that no longer has it, and warns elsewhere', () => {
    const compose = (tag: string) =>
      `services:\n  v:\n    image: vllm/vllm-openai:${tag}\n    command: --model m --max-model-len 65536 --rope-scaling '{"rope_type":"dynamic","factor":2}'\n`;
    expect(check(compose('v0.13.0'))[0]).toMatchObject({
      rule: 'rope-flag-removed',
      severity: 'error',
      line: 4,
    });
    expect(check(compose('v0.13.0'))[0]?.message).toContain(
      'vLLM 0.13.0 no longer accepts --rope-scaling',
    );
    expect(check(compose('v0.8.5'))[0]).toMatchObject({
      rule: 'rope-flag-removed',
      severity: 'warning',
    });
    expect(check(compose('latest'))[0]?.severity).toBe('warning');
  });

  it('accepts Llama 3.1 at 131072 on its own llama3 scaling, and refuses past it', () => {
    const llama = architectureFromHfConfig(hfConfig('llama-3.1-8b-instruct'), 'l');
    expect(check('model: m\nmax-model-len: 131072\n', llama)).toEqual([]);
    expect(check('model: m\nmax-model-len: 262144\n', llama)[0]?.rule).toBe('context-beyond-model');
  });
});

describe('compareVersions', () => {
  it('compares dotted versions numerically', () => {
    expect(compareVersions('0.10.1.1', [0, 12, 0])).toBeLessThan(0);
    expect(compareVersions('0.12', [0, 12, 0])).toBe(0);
    expect(compareVersions('1.0.0', [0, 12, 0])).toBeGreaterThan(0);
  });
});
