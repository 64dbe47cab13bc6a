import { XMLParser } from 'fast-xml-parser';
import { broken, brokenFromText, clip } from './smi-broken.js';
import type {
  FbMemory,
  GpuProcess,
  GpuReading,
  MemoryPair,
  MigInstance,
  SmiReading,
} from './types.js';
import { parseInteger, parseMiB } from './values.js';

/**
 * Elements that repeat. Forced to arrays so one GPU, one MIG instance or one process reads
 * the same as many; nothing else is, so a single child stays a plain value.
 */
const ARRAY_PATHS = new Set([
  'nvidia_smi_log.gpu',
  'nvidia_smi_log.gpu.mig_devices.mig_device',
  'nvidia_smi_log.gpu.processes.process_info',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Values stay strings: "N/A" and "0 MiB" must not be coerced, and parseMiB decides.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (_name, jPath) => ARRAY_PATHS.has(String(jPath)),
  // The clock tables are the bulk of a full document and the gate reads none of them;
  // leaving them unparsed halves the parse time of a full-length document.
  stopNodes: ['nvidia_smi_log.gpu.supported_clocks'],
});

const ROOT_CLOSE = '</nvidia_smi_log>';

type XmlNode = Record<string, unknown>;

/**
 * Reads one `nvidia-smi -q -x` document. A text that holds no document is named by its
 * broken-driver line; a document without its closing tag is `truncated`.
 */
export function parseSmiXml(xml: string): SmiReading {
  if (!xml.includes('<nvidia_smi_log')) return brokenFromText(xml);
  if (!xml.includes(ROOT_CLOSE)) return truncatedDocument(xml);

  let tree: unknown;
  try {
    tree = parser.parse(xml);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return broken('garbage', `nvidia-smi XML could not be read: ${reason}`);
  }

  const root = asNode(asNode(tree)?.nvidia_smi_log);
  if (!root) return broken('garbage', 'nvidia-smi XML has no <nvidia_smi_log> element');

  return {
    kind: 'ok',
    timestamp: text(root.timestamp),
    driverVersion: text(root.driver_version),
    cudaVersion: text(root.cuda_version),
    gpus: list(root.gpu).map((gpu, index) => readGpu(asNode(gpu) ?? {}, index)),
  };
}

/** The `truncated` reading for a document that stopped part way, with its last line. */
export function truncatedDocument(xml: string): SmiReading {
  const lines = xml.split(/\r?\n/).filter((line) => line.trim() !== '');
  const last = lines.at(-1)?.trim() ?? '';
  return broken(
    'truncated',
    clip(`nvidia-smi output ended inside a document (no ${ROOT_CLOSE}); last line: ${last}`),
  );
}

function readGpu(node: XmlNode, index: number): GpuReading {
  const mig = asNode(node.mig_mode);
  return {
    index,
    uuid: text(node.uuid),
    name: text(node.product_name),
    busId: text(node['@_id']) ?? text(asNode(node.pci)?.pci_bus_id),
    fb: readFb(node.fb_memory_usage),
    // Only <bar1_memory_usage>: <cc_protected_memory_usage> follows it with the same
    // children and must never stand in for it.
    bar1: readPair(node.bar1_memory_usage),
    migEnabled: text(mig?.current_mig) === 'Enabled',
    mig: list(asNode(node.mig_devices)?.mig_device).map((d) => readMig(asNode(d) ?? {})),
    // An empty list may mean "not visible" rather than "none": WSL2 and containers without
    // the host PID namespace print no processes while some run.
    processes: list(asNode(node.processes)?.process_info).map((p) => readProcess(asNode(p) ?? {})),
  };
}

function readPair(value: unknown): MemoryPair {
  const node = asNode(value);
  return { totalMiB: parseMiB(text(node?.total)), usedMiB: parseMiB(text(node?.used)) };
}

function readFb(value: unknown): FbMemory {
  const node = asNode(value);
  return { ...readPair(value), reservedMiB: parseMiB(text(node?.reserved)) };
}

function readMig(node: XmlNode): MigInstance {
  return {
    gpuInstanceId: parseInteger(text(node.gpu_instance_id)),
    computeInstanceId: parseInteger(text(node.compute_instance_id)),
    fb: readPair(node.fb_memory_usage),
    bar1: readPair(node.bar1_memory_usage),
  };
}

function readProcess(node: XmlNode): GpuProcess {
  return {
    pid: parseInteger(text(node.pid)),
    name: text(node.process_name),
    usedMiB: parseMiB(text(node.used_memory)),
    gpuInstanceId: parseInteger(text(node.gpu_instance_id)),
  };
}

function asNode(value: unknown): XmlNode | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as XmlNode)
    : null;
}

/** The text of an element: a string, or the text beside attributes; `null` when absent. */
function text(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return String(value);
  const node = asNode(value);
  return node ? text(node['#text']) : null;
}

function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null || value === '' ? [] : [value];
}
