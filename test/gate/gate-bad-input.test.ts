import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GateError } from '../../src/errors.js';
import { type GateContext, runGate } from '../../src/gate/run-gate.js';
import { silentLogger } from '../../src/log.js';
import type { RawInputs } from '../../src/plan/inputs.js';
import { buildPlan } from '../../src/plan/plan.js';

const REPO = resolve(import.meta.dirname, '../..');
const FAKE_SMI = `"${process.execPath}" "${join(REPO, 'test/memory/fixtures/fake-nvidia-smi.mjs')}"`;
const HEALTHY = join(REPO, 'test/integration/fixtures/healthy-fast.yaml');

const context = (): GateContext => ({
  logger: silentLogger,
  env: process.env,
  selfCommand: [
    process.execPath,
    '--import',
    import.meta.resolve('tsx'),
    join(REPO, 'src/cli/index.ts'),
  ],
  saveState: () => {},
});

const quick: RawInputs = {
  'soak-duration': '2s',
  'settle-duration': '500ms',
  'sample-interval': '200ms',
  'ready-timeout': '3s',
  'request-timeout': '2s',
  warmup: '2',
};

function plan(inputs: RawInputs) {
  const cwd = mkdtempSync(join(tmpdir(), 'sg-gate-'));
  return { cwd, plan: buildPlan({ ...quick, ...inputs }, cwd) };
}

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) server.close();
});

/** A loopback port that was just free: nothing listens there. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** A server that accepts connections and never says a word. */
async function silentServer(): Promise<string> {
  const server = createServer((socket) => sockets.push(socket));
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

describe('the gate on bad input', () => {
  it('names a config file that does not exist', async () => {
    const { plan: p } = plan({ config: 'serving/missing.yaml', 'nvidia-smi': FAKE_SMI });
    const error = await runGate(p, context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GateError);
    expect((error as GateError).code).toBe('config');
    expect((error as GateError).message).toContain('missing.yaml');
  });

  it('fails, within its deadline, when nothing listens on the endpoint', async () => {
    const endpoint = await closedPort();
    const { plan: p } = plan({ endpoint, 'nvidia-smi': FAKE_SMI });
    const started = Date.now();
    const results = await runGate(p, context());
    expect(results.verdict).toBe('fail');
    expect(results.reasons[0]?.rule).toBe('not-ready');
    expect(results.reasons[0]?.message).toContain(`nothing listens on ${endpoint.slice(7)}`);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('fails, within its deadline, on a server that accepts and never answers', async () => {
    const endpoint = await silentServer();
    const { plan: p } = plan({ endpoint, 'nvidia-smi': FAKE_SMI, 'ready-timeout': '8s' });
    const started = Date.now();
    const results = await runGate(p, context());
    expect(results.verdict).toBe('fail');
    expect(results.reasons[0]?.rule).toBe('not-ready');
    expect(results.reasons[0]?.message).toMatch(/nothing answers yet: no answer within \d+ ?s/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('fails with the exit code and last line of a deploy command that exits non-zero', async () => {
    const { plan: p, cwd } = plan({
      deploy: 'echo "pull access denied for vllm/vllm-openai:nightly" >&2; exit 18',
      teardown: 'echo torn > torn.txt',
      'nvidia-smi': FAKE_SMI,
      'ready-timeout': '20s',
    });
    const results = await runGate(p, context());
    expect(results.verdict).toBe('fail');
    expect(results.reasons[0]).toMatchObject({ rule: 'deployment-died' });
    expect(results.reasons[0]?.message).toContain('exited 18');
    expect(results.reasons[0]?.message).toContain('pull access denied');
    expect(results.teardown).toMatchObject({ ran: true, ok: true });
    expect(readFileSync(join(cwd, 'torn.txt'), 'utf8').trim()).toBe('torn');
  });

  it('reports a failing teardown as a warning without changing a passing verdict', async () => {
    const { plan: p } = plan({ simulate: HEALTHY, teardown: 'echo "no such project" >&2; exit 3' });
    const results = await runGate(p, context());
    expect(results.verdict).toBe('pass');
    expect(results.teardown.ok).toBe(false);
    expect(results.reasons).toContainEqual(
      expect.objectContaining({
        rule: 'teardown-failed',
        severity: 'warn',
        message: 'teardown exited 3: no such project',
      }),
    );
  });

  it('calls a missing nvidia-smi infra and deploys nothing', async () => {
    const { plan: p, cwd } = plan({
      deploy: 'touch deployed',
      'nvidia-smi': 'definitely-not-nvidia-smi',
    });
    const results = await runGate(p, context());
    expect(results.verdict).toBe('infra');
    expect(results.reasons[0]).toMatchObject({ rule: 'gpu-unreadable', severity: 'infra' });
    expect(results.reasons[0]?.message).toContain('definitely-not-nvidia-smi');
    expect(results.deploy.readyMs).toBeNull();
    expect(existsSync(join(cwd, 'deployed'))).toBe(false);
  });

  it('calls nvidia-smi garbage infra, never a pass', async () => {
    const { plan: p } = plan({ simulate: HEALTHY, 'nvidia-smi': `${FAKE_SMI} --garbage` });
    const results = await runGate(p, context());
    expect(results.verdict).toBe('infra');
    expect(results.memory.verdict).toBe('unmeasured');
  });

  it('calls a simulator scenario with a typo a usage error, not a broken runner', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sg-gate-'));
    writeFileSync(join(cwd, 'sim.yaml'), 'engine: vllm\nfautls: {}\n');
    const p = buildPlan({ ...quick, simulate: 'sim.yaml' }, cwd);
    const error = await runGate(p, context()).catch((e: unknown) => e);
    expect((error as GateError).code).toBe('usage');
    expect((error as GateError).message).toContain('sim.yaml');
  });

  it('refuses a config with an unknown key before anything runs', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sg-gate-'));
    writeFileSync(join(cwd, 'bad.yaml'), 'model: m\nmax-model-lenght: 4096\n');
    const p = buildPlan({ ...quick, config: 'bad.yaml', 'nvidia-smi': FAKE_SMI }, cwd);
    const error = await runGate(p, context()).catch((e: unknown) => e);
    expect((error as GateError).code).toBe('config');
    expect((error as GateError).message).toContain('bad.yaml:2');
  });
});
