// The client end of the port tunnel (used by the host's forwarder): TLS to the tunnel's published
// port with the admin certificate, the CONNECT line, the answer; the socket then carries the bytes.
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { connectLine, parseReply } from './protocol.js';
import { readLine } from './relay.js';

/** Where the tunnel answers and who we are to it. */
export interface TunnelEndpoint {
  host: string;
  port: number;
  /** The cluster CA (the server's certificate must chain to it) and our client pair. */
  ca: string;
  cert: string;
  key: string;
}

/** A tunnel refused by its server, or that could not be opened. */
export class TunnelError extends Error {
  override name = 'TunnelError';
}

/**
 * Opens a tunnel to `nodePort` on the node; resolves with the socket (half-open allowed) and any
 * bytes that arrived right behind the answer. Rejects with TunnelError when refused or unreachable.
 */
export function openTunnel(endpoint: TunnelEndpoint, nodePort: number, timeoutMs = 10_000): Promise<{ socket: TLSSocket; head: Buffer }> {
  return new Promise((resolve, reject) => {
    // allowHalfOpen is passed on to the TLS socket, though Node's types leave it out.
    const options = { host: endpoint.host, port: endpoint.port, ca: endpoint.ca, cert: endpoint.cert, key: endpoint.key, allowHalfOpen: true };
    const socket = connect(options as ConnectionOptions);
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS handshake within ${timeoutMs}ms`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err instanceof TunnelError ? err : new TunnelError(`port tunnel at ${endpoint.host}:${endpoint.port}: ${err.message}`));
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.write(connectLine(nodePort));
      readLine(socket, timeoutMs).then(({ line, rest }) => {
        const reply = parseReply(line);
        if (!reply.ok) return fail(new TunnelError(`node port ${nodePort}: ${reply.error}`));
        socket.off('error', fail);
        resolve({ socket, head: rest });
      }, fail);
    });
  });
}
