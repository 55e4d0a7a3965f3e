// The port tunnel's TLS server: admins (client certificates of group system:masters) ask for a
// port, the server connects to it on the node's own address — so the connection takes the real
// NodePort path through the proxy's rules — answers OK or ERR, then relays.
import { connect, type Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { parseConnectLine, replyLine, tunnelRefusal } from './protocol.js';
import { readLine, relay } from './relay.js';

/** What the tunnel server needs. */
export interface TunnelServerOptions {
  /** Serving pair and the CA that client certificates must come from. */
  tls: { key: string; cert: string; ca: string };
  /** Where a requested port is dialled: the node's own address. */
  targetHost: string;
  /** Where connections and failures are told. */
  say: (line: string) => void;
  /** How long a client has to send its request line (default 10 s). */
  requestTimeoutMs?: number;
  /** How long the dial to the target may take (default 10 s). */
  connectTimeoutMs?: number;
}

/** Creates (does not start) the tunnel server. */
export function createTunnelServer(opts: TunnelServerOptions): Server {
  const server = createServer({ ...opts.tls, requestCert: true, rejectUnauthorized: true, allowHalfOpen: true }, (socket) => {
    serveTunnel(opts, socket).catch((err: Error) => {
      opts.say(`tunnel from ${socket.remoteAddress}: ${err.message}`);
      socket.destroy();
    });
  });
  server.on('tlsClientError', (err) => opts.say(`TLS handshake failed: ${err.message}`));
  return server;
}

async function serveTunnel(opts: TunnelServerOptions, socket: TLSSocket): Promise<void> {
  socket.on('error', () => undefined); // reported by whoever is waiting on it
  const refusal = tunnelRefusal(socket.getPeerCertificate()?.subject as { CN?: string; O?: string | string[] } | undefined);
  if (refusal) return refuse(socket, refusal);
  const { line, rest } = await readLine(socket, opts.requestTimeoutMs ?? 10_000);
  const req = parseConnectLine(line);
  if (!req.ok) return refuse(socket, req.error);
  let target: Socket;
  try {
    target = await dial(opts.targetHost, req.port, opts.connectTimeoutMs ?? 10_000);
  } catch (err) {
    return refuse(socket, `cannot connect to ${opts.targetHost}:${req.port}: ${(err as Error).message}`);
  }
  socket.write(replyLine());
  await relay(socket, target, rest);
}

function refuse(socket: TLSSocket, message: string): void {
  socket.end(replyLine(message));
}

/** A TCP connection to host:port, half-open allowed. */
function dial(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port, allowHalfOpen: true });
    s.setTimeout(timeoutMs, () => s.destroy(new Error(`timed out after ${timeoutMs}ms`)));
    s.once('connect', () => {
      s.setTimeout(0);
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}
