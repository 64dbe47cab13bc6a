/**
 * The simulator: a serving engine and its GPU, for machines with neither. Tests elsewhere
 * start one in-process with `startSimulator`; users run it with `serving-gate simulate`.
 */
export { FLAVOURS, flavourFor } from './engines/index.js';
export type { EngineFlavour } from './engines/types.js';
export { type SimState, type SmiView, STATE_STALE_AFTER_MS, smiView } from './gpu-state.js';
export { loadScenarioFile, parseScenarioObject, parseScenarioText } from './scenario/load.js';
export {
  defaultScenario,
  ENGINE_IDS,
  type EngineId,
  type Scenario,
  type ScenarioInput,
  SMI_FAULTS,
} from './scenario/schema.js';
export {
  type RunningSimulator,
  type SimulatorExit,
  type SimulatorOptions,
  startSimulator,
} from './simulator.js';
export { runSmiStandIn } from './smi-run.js';
export { renderSmiXml } from './smi-xml.js';
export { defaultStatePath, readLiveState, readStateFile } from './state-file.js';
