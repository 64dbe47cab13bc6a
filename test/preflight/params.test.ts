import { describe, expect, it } from 'vitest';
import { architectureFromHfConfig } from '../../src/preflight/architecture.js';
import { hfConfig } from './paths.js';

const params = (model: string) => architectureFromHfConfig(hfConfig(model), model).params;

describe('countParams', () => {
  it('counts Qwen3-30B-A3B: 128 experts of 768 per layer, routers and embeddings apart', () => {
    // Per layer: q 2048×4096 + k, v 2048×512 each + o 4096×2048 = 18,874,368;
    // experts 128 × 3 × 2048 × 768 = 603,979,776. 48 layers: 29,896,998,912.
    // Other: embeddings and LM head 2 × 151,936 × 2048 = 622,329,856, routers
    // 48 × 2048 × 128 = 12,582,912, norms 48 × 2 × 2048 + 2048 = 198,656.
    expect(params('qwen3-30b-a3b')).toEqual({ quantisable: 29_896_998_912, other: 635_111_424 });
  });

  it('counts Llama 3.1 8B to its published 8,030,261,248', () => {
    // Per layer: 4096×4096 × 2 + 4096×1024 × 2 + 3 × 4096 × 14336 = 218,103,808; × 32.
    const p = params('llama-3.1-8b-instruct')!;
    expect(p.quantisable).toBe(32 * 218_103_808);
    expect(p.quantisable + p.other).toBe(8_030_261_248);
  });

  it('counts DeepSeek-V3 MLA and MoE to about its published 671B', () => {
    // MLA per layer: q_a 7168×1536 + q_b 1536×128×192 + kv_a 7168×576 + kv_b 512×128×256
    //   + o 128×128×7168 = 187,105,280.
    // 3 dense layers of 3 × 7168 × 18432 = 396,361,728; 58 MoE layers of
    //   257 experts (256 routed + 1 shared) × 3 × 7168 × 2048 = 11,318,329,344.
    const p = params('deepseek-v3')!;
    expect(p.quantisable).toBe(61 * 187_105_280 + 3 * 396_361_728 + 58 * 11_318_329_344);
    expect(p.quantisable + p.other).toBe(671_026_279_424);
  });

  it('counts a tied embedding once (Gemma 2 9B: 9.24B)', () => {
    const p = params('gemma-2-9b-it')!;
    expect(p.quantisable + p.other).toBe(9_241_404_928);
    expect(p.other).toBe(256_000 * 3584 + 3584 + 42 * 2 * 3584);
  });

  it('is null when the config lacks the sizes', () => {
    const arch = architectureFromHfConfig(
      { num_hidden_layers: 2, num_attention_heads: 2, head_dim: 64 },
      'tiny',
    );
    expect(arch.params).toBeNull();
  });
});
