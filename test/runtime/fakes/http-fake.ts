import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request the fake server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What a fake service answers. */
export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** A transport-level fault applied to the next request instead of (or before) the service's answer. */
export type Fault =
  | { readonly kind: 'reset' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'status'; readonly status: number; readonly body?: string };

/** Answers one request; the service logic of a fake. */
export type Handler = (request: RecordedRequest) => Reply;

/**
 * A tiny HTTP server on 127.0.0.1 (ephemeral port) shared by the fake AWS services: records requests,
 * applies queued faults (connection reset, slow answer, bare status), and otherwise asks the handler.
 */
export class FakeHttpServer {
  /** Every request received, in order. */
  public readonly requests: RecordedRequest[] = [];
  private readonly faults: Fault[] = [];
  private readonly server: Server;

  constructor(private readonly handler: Handler) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(request);
        void this.answer(request, this.faults.shift(), req.socket.destroy.bind(req.socket), (reply) => {
          if (!res.destroyed) {
            res.writeHead(reply.status, reply.headers).end(reply.body);
          }
        });
      });
    });
  }

  /** Applies `faults` to the next requests, one each, before normal service resumes. */
  public injectFaults(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Forgets recorded requests and pending faults. */
  public reset(): void {
    this.requests.length = 0;
    this.faults.length = 0;
  }

  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:41234`. */
  public async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Drops open connections and stops listening. */
  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  private async answer(request: RecordedRequest, fault: Fault | undefined, reset: () => void, send: (reply: Reply) => void): Promise<void> {
    if (fault?.kind === 'reset') {
      reset();
      return;
    }
    if (fault?.kind === 'status') {
      send({ status: fault.status, body: fault.body ?? '' });
      return;
    }
    if (fault?.kind === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
    }
    send(this.handler(request));
  }
}

/** The access key id a SigV4-signed request was signed with. */
export function signingAccessKey(request: RecordedRequest): string | undefined {
  return /Credential=([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1];
}
