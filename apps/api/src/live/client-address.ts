import { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

type TrustProxy = (address: string, hop: number) => boolean;

/**
 * The client's address for a socket's handshake request, trusting X-Forwarded-For exactly as far
 * as Express does for HTTP requests (TRUST_PROXY): behind a reverse proxy every socket would
 * otherwise share the proxy's address, and so its limits.
 */
export function clientAddress(request: IncomingMessage, trustProxy: TrustProxy | undefined): string {
  return trustProxy ? proxyaddr(request, trustProxy) : (request.socket.remoteAddress ?? 'unknown');
}
