import type { SmiView } from './gpu-state.js';
import { loadFigures, mib, smiTimestamp } from './smi-xml.js';

/**
 * Renders `nvidia-smi -q` (the text report) and `nvidia-smi -L` as a 590-series driver
 * prints them, for the same sections as the XML stand-in. Labels are padded so the colon
 * falls in column 55 (column 42 inside the process list), as in the real H100 capture.
 */

const LABEL_WIDTH = 55;
const PROCESS_LABEL_WIDTH = 42;

export function renderSmiText(view: SmiView): string {
  const out: string[] = ['', '==============NVSMI LOG==============', ''];
  const line = (depth: number, label: string, value?: string | number, width = LABEL_WIDTH) => {
    const key = `${'    '.repeat(depth)}${label}`;
    out.push(value === undefined ? key : `${key.padEnd(width)}: ${value}`);
  };

  line(0, 'Timestamp', smiTimestamp(view.timestamp));
  line(0, 'Driver Version', view.driverVersion);
  line(0, 'CUDA Version', view.cudaVersion);
  out.push('');
  line(0, 'Attached GPUs', view.gpus.length);

  for (const gpu of view.gpus) {
    const load = loadFigures(gpu);
    line(0, `GPU ${gpu.busId}`);
    line(1, 'Product Name', gpu.name);
    line(1, 'Product Brand', gpu.brand);
    line(1, 'Product Architecture', gpu.architecture);
    line(1, 'Persistence Mode', 'Enabled');
    line(1, 'MIG Mode');
    line(2, 'Current', 'Disabled');
    line(2, 'Pending', 'Disabled');
    line(1, 'GPU UUID', gpu.uuid);
    line(1, 'Minor Number', gpu.index);
    line(1, 'PCI');
    line(2, 'Bus Id', gpu.busId);
    line(1, 'Performance State', 'P0');
    line(1, 'FB Memory Usage');
    line(2, 'Total', mib(gpu.fbTotalMiB));
    line(2, 'Reserved', mib(gpu.fbReservedMiB));
    line(2, 'Used', mib(gpu.fbUsedMiB));
    line(2, 'Free', mib(gpu.fbTotalMiB - gpu.fbReservedMiB - gpu.fbUsedMiB));
    line(1, 'BAR1 Memory Usage');
    line(2, 'Total', mib(gpu.bar1TotalMiB));
    line(2, 'Used', mib(gpu.bar1UsedMiB));
    line(2, 'Free', mib(gpu.bar1TotalMiB - gpu.bar1UsedMiB));
    line(1, 'Conf Compute Protected Memory Usage');
    line(2, 'Total', mib(0));
    line(2, 'Used', mib(0));
    line(2, 'Free', mib(0));
    line(1, 'Compute Mode', 'Default');
    line(1, 'Utilization');
    line(2, 'GPU', `${load.gpuUtil} %`);
    line(2, 'Memory', `${load.memoryUtil} %`);
    line(1, 'Temperature');
    line(2, 'GPU Current Temp', `${load.gpuTempC} C`);
    if (gpu.processes.length === 0) {
      line(1, 'Processes', 'None');
    } else {
      line(1, 'Processes');
      for (const process of gpu.processes) {
        line(2, 'GPU instance ID', 'N/A', PROCESS_LABEL_WIDTH);
        line(2, 'Compute instance ID', 'N/A', PROCESS_LABEL_WIDTH);
        line(2, 'Process ID', process.pid, PROCESS_LABEL_WIDTH);
        line(3, 'Type', 'C', PROCESS_LABEL_WIDTH);
        line(3, 'Name', process.name, PROCESS_LABEL_WIDTH);
        line(3, 'Used GPU Memory', mib(process.usedMiB), PROCESS_LABEL_WIDTH);
      }
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** `GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-…)`, one line per GPU. */
export function renderSmiList(view: SmiView): string {
  return view.gpus.map((gpu) => `GPU ${gpu.index}: ${gpu.name} (UUID: ${gpu.uuid})\n`).join('');
}
