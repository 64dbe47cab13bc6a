import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Status, JSON body and extra headers of an answer. */
type Answer = [number, unknown, Record<string, string>?];

export interface FakeComment {
  id: number;
  body: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

export interface FakeGitHubOptions {
  /** Answer 403 to creates and updates, as for a read-only token. */
  denyWrites?: boolean;
  /** Answer every request with this status (an outage). */
  failWith?: number;
  /** Never answer (a hung API). */
  hang?: boolean;
}

/**
 * A local stand-in for the three GitHub REST endpoints the PR comment uses: list an issue's
 * comments (paged, with a Link header as GitHub sends it), create one, update one. Only
 * ever listens on 127.0.0.1.
 */
export class FakeGitHub {
  readonly comments = new Map<number, FakeComment[]>();
  readonly requests: RecordedRequest[] = [];
  options: FakeGitHubOptions = {};
  private server: Server | null = null;
  private nextId = 1000;
  private url = '';

  get baseUrl(): string {
    return this.url;
  }

  /** Comments on a PR, oldest first. */
  on(issue: number): FakeComment[] {
    let list = this.comments.get(issue);
    if (!list) {
      list = [];
      this.comments.set(issue, list);
    }
    return list;
  }

  seed(issue: number, bodies: string[]): void {
    for (const body of bodies) this.on(issue).push({ id: this.nextId++, body });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => this.handle(req, res, body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    this.requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      body,
    });
    if (this.options.hang) return;
    const [status, data, headers] = this.route(req, body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(data));
  }

  private route(req: IncomingMessage, body: string): Answer {
    if (this.options.failWith) return [this.options.failWith, { message: 'Unavailable' }];
    const url = new URL(req.url ?? '/', this.url);
    const list = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const one = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname);
    const write = req.method === 'POST' || req.method === 'PATCH';
    if (write && this.options.denyWrites) {
      return [
        403,
        {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/issues/comments',
          status: '403',
        },
      ];
    }
    if (list && req.method === 'GET') return this.list(url, Number(list[1]));
    if (list && req.method === 'POST') {
      const comment = { id: this.nextId++, body: JSON.parse(body).body as string };
      this.on(Number(list[1])).push(comment);
      return [201, this.view(comment, Number(list[1]))];
    }
    if (one && req.method === 'PATCH') {
      for (const [issue, comments] of this.comments) {
        const found = comments.find((c) => c.id === Number(one[1]));
        if (!found) continue;
        found.body = JSON.parse(body).body as string;
        return [200, this.view(found, issue)];
      }
    }
    return [404, { message: 'Not Found' }];
  }

  private list(url: URL, issue: number): Answer {
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    const all = this.on(issue);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number, rel: string) => {
      const next = new URL(url);
      next.searchParams.set('page', String(p));
      return `<${next}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    const slice = all.slice((page - 1) * perPage, page * perPage);
    return [
      200,
      slice.map((c) => this.view(c, issue)),
      links.length > 0 ? { link: links.join(', ') } : {},
    ];
  }

  private view(c: FakeComment, issue: number) {
    return {
      id: c.id,
      body: c.body,
      html_url: `https://github.example/example/serving-configs/pull/${issue}#issuecomment-${c.id}`,
      user: { login: 'github-actions[bot]', type: 'Bot' },
    };
  }
}
