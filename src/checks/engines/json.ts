/** Small readers shared by the engine profiles: a field of the wrong type reads as null. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function positiveInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

export function countOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/** A request body with `model` only when one is known: some servers refuse an unknown one. */
export function withModel(model: string | null, body: Record<string, unknown>): unknown {
  return model === null ? body : { model, ...body };
}

/** Parses one stream payload; null when it is not JSON. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
