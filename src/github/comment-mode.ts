import { GateError } from '../errors.js';

export const COMMENT_MODES = ['always', 'on-failure', 'never'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

/**
 * Quiet on success by default: a passing gate updates a comment it left before (so a red
 * verdict does not linger) but opens none.
 */
export const DEFAULT_COMMENT_MODE: CommentMode = 'on-failure';

export function parseCommentMode(text: string | undefined): CommentMode {
  const value = (text ?? '').trim();
  if (value === '') return DEFAULT_COMMENT_MODE;
  if ((COMMENT_MODES as readonly string[]).includes(value)) return value as CommentMode;
  throw new GateError(
    'usage',
    `comment: "${value}" is not one of ${COMMENT_MODES.join(', ')}`,
    'use comment: on-failure (the default), always or never',
  );
}
