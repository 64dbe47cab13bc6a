import { GateError } from '../errors.js';
import { interpolate, readEnvironment } from './compose-values.js';
import { engineFromImage, findLauncher, type Launch, versionFromImage } from './engine-detect.js';
import { type EngineFields, emptyFields } from './engine-fields.js';
import { readEngineSettings, SHORT_FLAGS } from './engine-others.js';
import { isVllmBoolean, readVllmSettings } from './engine-vllm.js';
import type { LocatedDocument, YMap, YNode, YScalar } from './located-yaml.js';
import { parseArgs } from './settings.js';
import { splitWords, type Word } from './shell-words.js';
import type { EngineName, Located, ServingConfig } from './types.js';
import { VLLM_SHORT_FLAGS } from './vllm-keys.js';

/**
 * Reads a docker compose file: finds the service that runs a serving engine (or the one
 * named), splits its `entrypoint` and `command` into words, and reads the engine's flags
 * and environment from them. Nothing is run; `${VAR:-default}` takes its default and any
 * other variable is left as written.
 */
export function readCompose(
  doc: LocatedDocument,
  services: YMap,
  options: { service?: string; variables?: Record<string, string> },
): ServingConfig {
  const file = doc.file;
  const vars = options.variables ?? {};
  const seen = services.entries.map((entry) => inspectService(doc, entry.key, entry.value, vars));

  let chosen: InspectedService | undefined;
  if (options.service !== undefined) {
    chosen = seen.find((s) => s.name === options.service);
    if (!chosen) {
      throw new GateError(
        'config',
        `${file}: no service named ${options.service}; services: ${listServices(seen)}`,
        'name one of the services above with --service',
      );
    }
  } else {
    const serving = seen.filter((s) => s.engine !== null);
    if (serving.length === 0 && seen.length === 1) {
      // One service whose engine is not recognised: read it, and let preflight say that
      // it cannot tell the engine, rather than refuse the file.
      chosen = seen[0]!;
    } else if (serving.length === 0) {
      throw new GateError(
        'config',
        `${file}: no service runs a serving engine (vLLM, SGLang, TGI, llama.cpp server or Ollama); services: ${listServices(seen)}`,
        'point the gate at the compose file of the serving container, or name its service with --service',
      );
    } else if (serving.length > 1) {
      throw new GateError(
        'config',
        `${file}: several services run a serving engine: ${listServices(serving)}`,
        'name the one to gate with --service',
      );
    } else chosen = serving[0]!;
  }

  const fields = chosen.engine ? readFields(chosen, file) : emptyFields();
  const { notes, ...values } = fields;
  return {
    file,
    form: 'compose',
    service: chosen.name,
    engine: chosen.engine,
    ...values,
    image: chosen.image,
    engineVersion: chosen.image ? versionFromImage(chosen.image.value) : null,
    environment: chosen.environment,
    engineSource: chosen.engineSource,
    notes: [...chosen.notes, ...notes],
  };
}

interface InspectedService {
  name: string;
  line: number;
  image: Located<string> | null;
  engine: EngineName | null;
  engineSource: Located<string> | null;
  launch: Launch | null;
  /** Entrypoint and command words, for an engine recognised by its image alone. */
  words: Word[];
  environment: Record<string, Located<string>>;
  notes: ServingConfig['notes'] & object;
}

function inspectService(
  doc: LocatedDocument,
  name: string,
  node: YNode,
  vars: Record<string, string>,
): InspectedService {
  const file = doc.file;
  if (node.kind !== 'map') {
    throw new GateError('config', `${file}:${node.line}: service ${name} is not a map`);
  }
  const get = (key: string) => node.entries.find((e) => e.key === key);

  const imageEntry = get('image');
  let image: Located<string> | null = null;
  if (imageEntry) {
    if (imageEntry.value.kind !== 'scalar' || typeof imageEntry.value.value !== 'string') {
      throw new GateError('config', `${file}:${imageEntry.keyLine}: image of ${name} is not text`);
    }
    image = {
      value: interpolate(imageEntry.value.value, vars),
      file,
      line: imageEntry.keyLine,
      key: 'image',
    };
  }

  const entrypoint = get('entrypoint');
  const command = get('command');
  const words = [
    ...(entrypoint ? commandWords(doc, entrypoint.value, `${name}.entrypoint`, vars) : []),
    ...(command ? commandWords(doc, command.value, `${name}.command`, vars) : []),
  ];
  const launch = findLauncher(words);
  const fromImage = image ? engineFromImage(image.value) : null;
  const engine = launch?.engine ?? fromImage;
  const engineSource: Located<string> | null = launch
    ? { value: launch.launcher.text, file, line: launch.launcher.line, key: 'command' }
    : fromImage && image
      ? image
      : null;

  const envEntry = get('environment');
  const environment = envEntry ? readEnvironment(file, envEntry.value, name, vars) : {};
  return {
    name,
    line: node.line,
    image,
    engine,
    engineSource,
    launch,
    words,
    environment,
    notes: [],
  };
}

function readFields(service: InspectedService, file: string): EngineFields {
  const engine = service.engine!;
  const args = service.launch?.args ?? service.words;

  if (engine === 'vllm') {
    const parsed = parseArgs(args, file, { isBoolean: isVllmBoolean, aliases: VLLM_SHORT_FLAGS });
    const fields = readVllmSettings(parsed.settings, { unknown: 'note' });
    const [first, ...extra] = parsed.positionals;
    if (first && !fields.model) {
      fields.model = { value: first.text, file, line: first.line, key: 'model' };
    } else if (first) {
      extra.unshift(first);
    }
    for (const word of extra) {
      fields.notes.push({
        rule: 'unknown-flag',
        severity: 'warning',
        message: `vLLM takes one positional argument (the model); "${word.text}" is extra and vLLM refuses it.`,
        file,
        line: word.line,
      });
    }
    const config = parsed.settings.find((s) => s.name === 'config');
    if (config) {
      fields.notes.push({
        rule: 'config-file-not-read',
        severity: 'info',
        message:
          'The command reads a vLLM --config file inside the container; preflight reads only what the compose file shows. Point the gate at that config to check it.',
        file,
        line: config.line,
      });
    }
    return fields;
  }
  if (engine === 'openai') return emptyFields();

  const parsed = parseArgs(args, file, {
    isBoolean: (n) => /^(enable|disable|no)-/.test(n) || n === 'trust-remote-code',
    aliases: SHORT_FLAGS[engine] ?? {},
  });
  return readEngineSettings(engine, parsed.settings, service.environment);
}

/** The words of a compose `command` or `entrypoint`, a string or a list, each with its line. */
function commandWords(
  doc: LocatedDocument,
  node: YNode,
  where: string,
  vars: Record<string, string>,
): Word[] {
  if (node.kind === 'scalar') {
    if (node.value === null) return [];
    const words = scalarWords(doc, node, where).map((w) => ({
      ...w,
      text: interpolate(w.text, vars),
    }));
    const script = isShell(words) ? words[2] : undefined;
    if (!script) return words;
    const inner = splitWords(script.text, () => script.line, `${doc.file} (${where})`);
    return [...words.slice(0, 2), ...inner, ...words.slice(3)];
  }
  if (node.kind === 'seq') {
    const items = node.items.map((item) => {
      if (item.kind !== 'scalar' || item.value === null || typeof item.value === 'boolean') {
        throw new GateError(
          'config',
          `${doc.file}:${item.line}: ${where} holds something other than words`,
          'write the command as a list of strings, or as one string',
        );
      }
      return item;
    });
    const words = items.map((item) => ({
      text: interpolate(String(item.value), vars),
      line: item.line,
    }));
    // `["sh", "-c", "vllm serve ..."]`: the script is itself a command line.
    if (isShell(words)) {
      const script = items[2];
      if (script) {
        const inner = scalarWords(doc, script, where).map((w) => ({
          ...w,
          text: interpolate(w.text, vars),
        }));
        return [...words.slice(0, 2), ...inner, ...words.slice(3)];
      }
    }
    return words;
  }
  throw new GateError(
    'config',
    `${doc.file}:${node.line}: ${where} is a map; compose takes a string or a list`,
    'write the command as a list of strings, or as one string',
  );
}

/** `sh -c SCRIPT`, `bash -lc SCRIPT`: a shell given a script to run. */
function isShell(words: readonly Word[]): boolean {
  const shell = words[0]?.text.split('/').pop();
  return (shell === 'sh' || shell === 'bash') && /^-[a-z]*c$/.test(words[1]?.text ?? '');
}

function scalarWords(doc: LocatedDocument, node: YScalar, where: string): Word[] {
  const text = String(node.value);
  if (node.source) {
    const { text: source, offset } = node.source;
    return splitWords(source, (i) => doc.lineAt(offset + i), doc.file);
  }
  return splitWords(text, () => node.line, `${doc.file} (${where})`);
}

function listServices(services: readonly InspectedService[]): string {
  if (services.length === 0) return '(none)';
  return services
    .map((s) => `${s.name} (line ${s.line}${s.image ? `, ${s.image.value}` : ''})`)
    .join(', ');
}
