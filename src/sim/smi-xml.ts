import type { SmiGpuView, SmiView } from './gpu-state.js';

/**
 * Renders the simulated GPUs as `nvidia-smi -q -x` prints them on a 590-series driver
 * (DTD v13): the prolog, tab indentation, ctime-style timestamp, and per GPU the elements of
 * the real H100 capture in `shared/fixtures/nvidia-smi-xml`, in the same order, with the
 * same value spellings (`19818 MiB`, `N/A`, `100 %`). Static fields copy that capture; the
 * memory, processes, utilisation, temperature and power follow the simulated state.
 *
 * Known shortcoming: sections the abridged capture leaves out (ecc_errors, supported_clocks,
 * …) are left out here too, so a reader that needs them will not find them.
 */

const DTD_VERSION = 'v13';

export function renderSmiXml(view: SmiView): string {
  const out: string[] = [
    '<?xml version="1.0" ?>',
    `<!DOCTYPE nvidia_smi_log SYSTEM "nvsmi_device_${DTD_VERSION}.dtd">`,
    '<nvidia_smi_log>',
  ];
  const put = (depth: number, name: string, value: string | number) => {
    out.push(`${tabs(depth)}<${name}>${escapeXml(String(value))}</${name}>`);
  };
  const open = (depth: number, name: string) => out.push(`${tabs(depth)}<${name}>`);
  const close = (depth: number, name: string) => out.push(`${tabs(depth)}</${name}>`);
  const block = (depth: number, name: string, fields: [string, string | number][]) => {
    open(depth, name);
    for (const [key, value] of fields) put(depth + 1, key, value);
    close(depth, name);
  };

  put(1, 'timestamp', smiTimestamp(view.timestamp));
  put(1, 'driver_version', view.driverVersion);
  put(1, 'cuda_version', view.cudaVersion);
  put(1, 'attached_gpus', view.gpus.length);

  for (const gpu of view.gpus) {
    const pci = pciParts(gpu.busId);
    const load = loadFigures(gpu);
    out.push(`${tabs(1)}<gpu id="${escapeXml(gpu.busId)}">`);
    put(2, 'product_name', gpu.name);
    put(2, 'product_brand', gpu.brand);
    put(2, 'product_architecture', gpu.architecture);
    put(2, 'display_mode', 'Requested functionality has been deprecated');
    put(2, 'display_attached', 'No');
    put(2, 'display_active', 'Disabled');
    put(2, 'persistence_mode', 'Enabled');
    put(2, 'addressing_mode', 'None');
    block(2, 'mig_mode', [
      ['current_mig', 'Disabled'],
      ['pending_mig', 'Disabled'],
    ]);
    open(2, 'mig_devices');
    out.push(`${tabs(3)}None`);
    close(2, 'mig_devices');
    put(2, 'accounting_mode', 'Disabled');
    put(2, 'accounting_mode_buffer_size', 4000);
    block(2, 'driver_model', [
      ['current_dm', 'N/A'],
      ['pending_dm', 'N/A'],
    ]);
    put(2, 'serial', String(gpu.index + 1).padStart(13, '0'));
    put(2, 'uuid', gpu.uuid);
    put(2, 'pdi', `0x${(gpu.index + 1).toString(16).padStart(16, '0')}`);
    put(2, 'minor_number', gpu.index);
    put(2, 'vbios_version', '96.00.A5.00.01');
    put(2, 'multigpu_board', 'No');
    put(2, 'board_id', `0x${((pci.bus << 8) | pci.device).toString(16)}`);
    put(2, 'board_part_number', '692-2G520-0200-000');
    put(2, 'gpu_part_number', '2330-885-A1');
    put(2, 'gpu_fru_part_number', 'N/A');
    block(2, 'gpu_virtualization_mode', [
      ['virtualization_mode', 'None'],
      ['host_vgpu_mode', 'N/A'],
      ['vgpu_heterogeneous_mode', 'N/A'],
    ]);
    put(2, 'gpu_recovery_action', 'None');
    put(2, 'gsp_firmware_version', view.driverVersion);
    block(2, 'pci', [
      ['pci_bus', hex(pci.bus, 2)],
      ['pci_device', hex(pci.device, 2)],
      ['pci_domain', hex(pci.domain, 4)],
      ['pci_base_class', 3],
      ['pci_sub_class', 2],
      ['pci_device_id', '233010DE'],
      ['pci_bus_id', gpu.busId],
      ['pci_sub_system_id', '16C110DE'],
    ]);
    put(2, 'fan_speed', 'N/A');
    put(2, 'performance_state', 'P0');
    put(2, 'sparse_operation_mode', 'Disabled');
    block(2, 'fb_memory_usage', [
      ['total', mib(gpu.fbTotalMiB)],
      ['reserved', mib(gpu.fbReservedMiB)],
      ['used', mib(gpu.fbUsedMiB)],
      ['free', mib(gpu.fbTotalMiB - gpu.fbReservedMiB - gpu.fbUsedMiB)],
    ]);
    block(2, 'bar1_memory_usage', [
      ['total', mib(gpu.bar1TotalMiB)],
      ['used', mib(gpu.bar1UsedMiB)],
      ['free', mib(gpu.bar1TotalMiB - gpu.bar1UsedMiB)],
    ]);
    block(2, 'cc_protected_memory_usage', [
      ['total', mib(0)],
      ['used', mib(0)],
      ['free', mib(0)],
    ]);
    put(2, 'compute_mode', 'Default');
    block(2, 'utilization', [
      ['gpu_util', `${load.gpuUtil} %`],
      ['memory_util', `${load.memoryUtil} %`],
      ['encoder_util', '0 %'],
      ['decoder_util', '0 %'],
      ['jpeg_util', '0 %'],
      ['ofa_util', '0 %'],
    ]);
    block(2, 'ecc_mode', [
      ['current_ecc', 'Enabled'],
      ['pending_ecc', 'Enabled'],
    ]);
    block(2, 'temperature', [
      ['gpu_temp', `${load.gpuTempC} C`],
      ['gpu_temp_tlimit', `${85 - load.gpuTempC} C`],
      ['gpu_temp_max_tlimit_threshold', '-8 C'],
      ['gpu_temp_slow_tlimit_threshold', '-2 C'],
      ['gpu_temp_max_gpu_tlimit_threshold', '0 C'],
      ['gpu_target_temperature', 'N/A'],
      ['memory_temp', `${load.gpuTempC - 4} C`],
      ['gpu_temp_max_mem_tlimit_threshold', '0 C'],
    ]);
    block(2, 'gpu_power_readings', [
      ['power_state', 'Requested functionality has been deprecated'],
      ['average_power_draw', watts(load.averageW)],
      ['instant_power_draw', watts(load.instantW)],
      ['current_power_limit', watts(700)],
      ['requested_power_limit', watts(700)],
      ['default_power_limit', watts(700)],
      ['min_power_limit', watts(200)],
      ['max_power_limit', watts(700)],
    ]);
    block(2, 'clocks', [
      ['graphics_clock', '1980 MHz'],
      ['sm_clock', '1980 MHz'],
      ['mem_clock', '2619 MHz'],
      ['video_clock', '1545 MHz'],
    ]);
    open(2, 'processes');
    for (const process of gpu.processes) {
      block(3, 'process_info', [
        ['gpu_instance_id', 'N/A'],
        ['compute_instance_id', 'N/A'],
        ['pid', process.pid],
        ['type', 'C'],
        ['process_name', process.name],
        ['used_memory', mib(process.usedMiB)],
      ]);
    }
    close(2, 'processes');
    open(2, 'accounted_processes');
    close(2, 'accounted_processes');
    block(2, 'capabilities', [['egm', 'disabled']]);
    close(1, 'gpu');
    out.push('');
  }

  out.push('</nvidia_smi_log>', '');
  return out.join('\n');
}

/** `Tue Jul 14 08:12:53 2026`, local time, day padded with a space as ctime does. */
export function smiTimestamp(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
  return `${days[date.getDay()]} ${months[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ${time} ${date.getFullYear()}`;
}

/** Utilisation, temperature and power as a loaded or idle H100 reads them. */
export function loadFigures(gpu: SmiGpuView) {
  return gpu.busy
    ? { gpuUtil: 100, memoryUtil: 11, gpuTempC: 59, averageW: 629.45, instantW: 588.39 }
    : { gpuUtil: 0, memoryUtil: 0, gpuTempC: 31, averageW: 71.2, instantW: 70.85 };
}

export function mib(value: number): string {
  return `${Math.round(value)} MiB`;
}

function watts(value: number): string {
  return `${value.toFixed(2)} W`;
}

function pciParts(busId: string): { domain: number; bus: number; device: number } {
  const m = /^([0-9A-F]+):([0-9A-F]{2}):([0-9A-F]{2})\./i.exec(busId);
  return {
    domain: m ? Number.parseInt(m[1]!, 16) : 0,
    bus: m ? Number.parseInt(m[2]!, 16) : 0,
    device: m ? Number.parseInt(m[3]!, 16) : 0,
  };
}

function hex(value: number, width: number): string {
  return value.toString(16).toUpperCase().padStart(width, '0');
}

function tabs(depth: number): string {
  return '\t'.repeat(depth);
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}
