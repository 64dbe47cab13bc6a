/**
 * How far a config's rope scaling stretches the model, for comparing with the max context
 * a server advertises: YaRN reaches `factor × original_max_position_embeddings`.
 */
import { ropeReach } from '../preflight/rope-checks.js';
import type { RopeScaling } from '../preflight/types.js';
import { formatCount } from './describe.js';

export interface RopeLimit {
  reach: number;
  /** `yarn factor 4 × 32,768`. */
  how: string;
}

/** Types that stretch `original_max_position_embeddings` by `factor`. */
const STRETCHING = new Set(['yarn', 'linear', 'dynamic']);

/**
 * Null when the scaling does not say enough to compute a reach without the model's config,
 * or is of a type (llama3, longrope) whose reach is the model's own window.
 */
export function ropeLimit(rope: RopeScaling | null | undefined): RopeLimit | null {
  if (!rope || rope.factor === null || rope.originalMaxPositionEmbeddings === null) return null;
  if (!STRETCHING.has(rope.type)) return null;
  const reach = ropeReach(rope, rope.originalMaxPositionEmbeddings);
  if (reach === null) return null;
  const how = `${rope.type} factor ${rope.factor} × ${formatCount(rope.originalMaxPositionEmbeddings)}`;
  return { reach, how };
}
