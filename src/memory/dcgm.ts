import type { PromSample } from './prometheus.js';
import { broken } from './smi-broken.js';
import type { GpuReading, MemoryPair, MigInstance, SmiReading } from './types.js';

const FIELDS = {
  DCGM_FI_DEV_FB_TOTAL: 'fbTotal',
  DCGM_FI_DEV_FB_USED: 'fbUsed',
  DCGM_FI_DEV_FB_FREE: 'fbFree',
  DCGM_FI_DEV_FB_RESERVED: 'fbReserved',
  DCGM_FI_DEV_BAR1_TOTAL: 'bar1Total',
  DCGM_FI_DEV_BAR1_USED: 'bar1Used',
  DCGM_FI_DEV_BAR1_FREE: 'bar1Free',
} as const;

type Field = (typeof FIELDS)[keyof typeof FIELDS];
type Values = Partial<Record<Field, number | null>>;

/**
 * DCGM writes "blank" sentinels where a field has no value: int64 from 0x7ffffffffffffff0
 * (older exporters printed 9223372036854775794), int32 from 0x7ffffff0 = 2147483632, fp64
 * from 2^47. No GPU has 2 PiB of memory, so for these MiB fields anything from the int32
 * sentinel up is a blank, as is NaN.
 */
const BLANK_FROM_MIB = 2_147_483_632;

interface Entity {
  index: number | null;
  uuid: string | null;
  name: string | null;
  busId: string | null;
  values: Values;
  mig: Map<string, Values>;
  order: number;
}

/**
 * Maps dcgm-exporter samples to one snapshot, a GPU per `UUID` label. Series that carry
 * `GPU_I_ID` belong to a MIG instance of that GPU. A scrape with no memory series at all is
 * `garbage`: the URL is not a dcgm-exporter, or its counters file lists no FB fields.
 */
export function dcgmReading(samples: PromSample[]): SmiReading {
  const entities = new Map<string, Entity>();
  let driverVersion: string | null = null;

  for (const sample of samples) {
    const field = (FIELDS as Record<string, Field | undefined>)[sample.name];
    if (!field) continue;
    const labels = sample.labels;
    const key = labels.UUID ?? labels.gpu ?? '';
    let entity = entities.get(key);
    if (!entity) {
      entity = {
        index: toIndex(labels.gpu),
        uuid: labels.UUID ?? null,
        name: labels.modelName ?? null,
        busId: labels.pci_bus_id ?? null,
        values: {},
        mig: new Map(),
        order: entities.size,
      };
      entities.set(key, entity);
    }
    driverVersion ??= labels.DCGM_FI_DRIVER_VERSION ?? null;

    const instance = labels.GPU_I_ID;
    let target = entity.values;
    if (instance !== undefined) {
      target = entity.mig.get(instance) ?? {};
      entity.mig.set(instance, target);
    }
    target[field] = unblank(sample.value);
  }

  if (entities.size === 0) {
    return broken(
      'garbage',
      'dcgm-exporter output has no DCGM_FI_DEV_FB_USED/FREE series (is it a dcgm-exporter /metrics URL?)',
    );
  }

  const gpus = [...entities.values()]
    .sort((a, b) => (a.index ?? Infinity) - (b.index ?? Infinity) || a.order - b.order)
    .map(toGpu);
  return { kind: 'ok', timestamp: null, driverVersion, cudaVersion: null, gpus };
}

function toGpu(entity: Entity, position: number): GpuReading {
  const v = entity.values;
  const mig: MigInstance[] = [...entity.mig.entries()].map(([id, values]) => ({
    gpuInstanceId: toIndex(id),
    computeInstanceId: null,
    fb: { totalMiB: fbTotal(values), usedMiB: values.fbUsed ?? null },
    bar1: bar1(values),
  }));
  return {
    index: entity.index ?? position,
    uuid: entity.uuid,
    name: entity.name,
    busId: entity.busId,
    fb: { totalMiB: fbTotal(v), usedMiB: v.fbUsed ?? null, reservedMiB: v.fbReserved ?? null },
    bar1: bar1(v),
    migEnabled: mig.length > 0,
    mig,
    // dcgm-exporter has no per-process memory: on this source the gate cannot fall back to
    // the sum of process memory when FB is unreadable.
    processes: [],
  };
}

/**
 * The default counters export FB used, free and reserved but not FB total. nvidia-smi's
 * total is the sum of the three (each rounded to MiB on its own, so the sum can be a MiB
 * or two above it: 81560 against 81559 on an H100). Without the reserved series the sum
 * is used + free, the memory processes can have, which is the headroom that matters.
 */
function fbTotal(v: Values): number | null {
  if (v.fbTotal !== undefined && v.fbTotal !== null) return v.fbTotal;
  if (v.fbUsed == null || v.fbFree == null) return null;
  return v.fbUsed + v.fbFree + (v.fbReserved ?? 0);
}

function bar1(v: Values): MemoryPair {
  const totalMiB = v.bar1Total ?? null;
  let usedMiB = v.bar1Used ?? null;
  if (usedMiB === null && totalMiB !== null && v.bar1Free != null) usedMiB = totalMiB - v.bar1Free;
  return { totalMiB, usedMiB };
}

function unblank(value: number): number | null {
  return Number.isFinite(value) && value < BLANK_FROM_MIB ? value : null;
}

function toIndex(text: string | undefined): number | null {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}
