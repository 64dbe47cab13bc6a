import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The HTTP edge of the simulator: listens, hands requests to the flavour, keeps the sockets
 * so a close ends even connections that were told never to be answered, and writes an
 * access line per answered request as uvicorn does in front of vLLM.
 */

export interface SimServerOptions {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Paths whose requests are accepted and never answered; `null` = every path. */
  neverAnswer?: { paths: string[] | null };
  log(line: string): void;
}

export interface SimServer {
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export function createSimServer(options: SimServerOptions): SimServer {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    const silent = options.neverAnswer;
    if (silent && (silent.paths === null || silent.paths.includes(path))) {
      req.resume();
      return;
    }
    res.once('finish', () => {
      const client = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
      options.log(
        `INFO:     ${client} - "${req.method} ${req.url} HTTP/${req.httpVersion}" ${res.statusCode}`,
      );
    });
    options.handle(req, res).catch((error: unknown) => {
      options.log(`ERROR: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal Server Error');
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        if (!server.listening) {
          for (const socket of sockets) socket.destroy();
          return resolve();
        }
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
