import { createServer, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { Socket } from 'node:net';

/** A cleartext HTTP/2 listener whose requests the fake answers like its HTTP/1.1 ones. */
export interface H2Listener {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  /** Stops listening and destroys every open session. Never hangs. */
  close(): Promise<void>;
}

/**
 * Listens for HTTP/2 with prior knowledge (h2c). `@aws-sdk/client-bedrock-runtime`
 * sends every command over HTTP/2 by default (its runtime config builds a
 * `NodeHttp2Handler`, as of 3.1164), so a Bedrock client pointed at an `http://`
 * endpoint speaks h2c; the compat request and response objects go to `onRequest`.
 */
export async function listenH2(
  host: string,
  onRequest: (req: Http2ServerRequest, res: Http2ServerResponse) => void,
): Promise<H2Listener> {
  const sessions = new Set<Http2Session>();
  const sockets = new Set<Socket>();
  const server = createServer();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req: Http2ServerRequest, res: Http2ServerResponse) => {
    // The compat response reports `writableFinished` true on a stream the client reset (Node 20
    // and 26); a response counts as complete only when it was ended and not aborted.
    Object.defineProperty(res, 'writableFinished', { get: () => res.writableEnded && !res.stream.aborted });
    onRequest(req, res);
  });
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    // A client that resets its streams or connection must not surface as an uncaught error.
    session.on('error', () => undefined);
  });
  server.on('sessionError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`,
    close: () =>
      (closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
        // A destroyed session still ends its socket gracefully, which waits on a client that stopped
        // reading a stream: the socket goes too.
        for (const socket of sockets) socket.destroy();
      })),
  };
}
