import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseScenarioText } from '../../src/sim/scenario/load.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/simulator.js';

/** A simulator on a free loopback port, with the MCP server and an API key. */
export async function startMcpSimulator(dir: string, extra = ''): Promise<RunningSimulator> {
  const scenario = parseScenarioText(
    `model: example/mcp-7b
maxModelLen: 4096
apiKey: sk-suite-test-0789
mcp:
  tools:
    generate: {fails: true}
${extra}`,
    'suite test scenario',
  );
  const sim = await startSimulator({
    scenario,
    port: 0,
    statePath: `${dir}/gpu-state-${Math.random().toString(36).slice(2)}.json`,
    stateIntervalMs: 100,
  });
  await sim.ready;
  return sim;
}

export interface LocalServer {
  url: string;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** A loopback server answering with `handle`; it records every request it saw. */
export async function startServer(
  handle: (req: IncomingMessage, res: ServerResponse, index: number) => void,
): Promise<LocalServer> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    handle(req, res, requests.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
