import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/simulator.js';
import { post, startIn, tempDir } from './helpers.js';

const running: RunningSimulator[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const sim of running.splice(0)) await sim.close();
});

async function connect(yaml: string, token?: string) {
  const dir = tempDir();
  const sim = await startIn(dir.path, yaml);
  running.push(sim);
  const client = new Client({ name: 'test', version: '1' });
  clients.push(client);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${sim.url}/mcp`), { requestInit: { headers } }),
    { timeout: 5000 },
  );
  return { sim, client };
}

const call = (client: Client, name: string, args: Record<string, unknown> = {}) =>
  client.callTool({ name, arguments: args }, undefined, { timeout: 5000 });

describe('the MCP server of the simulator', () => {
  it('serves its tools beside the engine, backed by the simulated model', async () => {
    const { client } = await connect('model: example/m\nmaxModelLen: 2048\nmcp: {}\n');
    const tools = await client.listTools(undefined, { timeout: 5000 });
    expect(tools.tools.map((t) => t.name)).toEqual([
      'generate',
      'search',
      'count_tokens',
      'model_info',
    ]);

    const generated = await call(client, 'generate', { prompt: 'Say OK', max_tokens: 4 });
    expect(generated.isError).toBeFalsy();
    expect(generated.structuredContent).toMatchObject({ completion_tokens: 4, prompt_tokens: 2 });
    expect(await call(client, 'count_tokens', { text: 'a b c' })).toMatchObject({
      structuredContent: { tokens: 3 },
    });
    expect(await call(client, 'model_info')).toMatchObject({
      structuredContent: { model: 'example/m', max_model_len: 2048 },
    });
    const search = await call(client, 'search', { query: 'kv cache', top_k: 2 });
    expect((search.structuredContent as { results: unknown[] }).results).toHaveLength(2);
  });

  it('fails the generate tool alone when the scenario says so', async () => {
    const { client } = await connect('mcp:\n  tools:\n    generate: {fails: true}\n');
    const generated = await call(client, 'generate', { prompt: 'hi' });
    expect(generated).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'CUDA error: an illegal memory access was encountered' }],
    });
    expect((await call(client, 'search', { query: 'x' })).isError).toBeFalsy();
  });

  it('fails a tool only while generate requests are running', async () => {
    const { sim, client } = await connect(
      'timing: {decodeMsPerToken: 100}\nmcp:\n  tools:\n    search: {failsUnderLoad: {requestsRunning: 1}, message: overloaded}\n',
    );
    expect((await call(client, 'search', { query: 'x' })).isError).toBeFalsy();

    const load = post(`${sim.url}/v1/completions`, { prompt: 'busy', max_tokens: 20 });
    const busy = await call(client, 'search', { query: 'x' });
    await load;
    expect(busy).toMatchObject({
      isError: true,
      content: [{ text: 'overloaded (1 requests running)' }],
    });
  });

  it("guards the MCP path with the scenario's API key", async () => {
    const dir = tempDir();
    const sim = await startIn(dir.path, 'apiKey: sk-mcp-1\nmcp: {}\n');
    running.push(sim);
    const refused = await post(`${sim.url}/mcp`, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(refused.status).toBe(401);
    const { client } = await connect('apiKey: sk-mcp-2\nmcp: {}\n', 'sk-mcp-2');
    expect((await client.listTools(undefined, { timeout: 5000 })).tools).toHaveLength(4);
  });

  it('serves no MCP path unless the scenario asks for one', async () => {
    const dir = tempDir();
    const sim = await startIn(dir.path, '');
    running.push(sim);
    expect((await post(`${sim.url}/mcp`, {})).status).toBe(404);
  });
});
