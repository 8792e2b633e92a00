import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';

/**
 * The HTTP agent of the OTLP exporters register builds: keep-alive, and its
 * sockets never keep the process alive. An export still waiting on a
 * collector that accepts connections and never answers would otherwise hold
 * the event loop open after the app's work is done (so `beforeExit`, where
 * costtrace flushes with a deadline, never came). While the exit flush runs,
 * the deadline's own timer keeps the process alive.
 *
 * Passed as the exporters' `httpAgentOptions` factory (OTLP exporters 0.2xx and 0.30x).
 */
export function backgroundAgent(protocol: string): HttpAgent {
  const agent = protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  // Node's agent refs a pooled socket again when it reuses it (`reuseSocket`).
  const hooks = agent as unknown as {
    createConnection: (...args: unknown[]) => Socket | undefined;
    reuseSocket: (socket: Socket, req: unknown) => void;
  };
  const create = hooks.createConnection;
  hooks.createConnection = function (this: unknown, ...args: unknown[]) {
    const socket = create.apply(this, args);
    socket?.unref();
    return socket;
  };
  const reuse = hooks.reuseSocket;
  hooks.reuseSocket = function (this: unknown, socket: Socket, req: unknown) {
    reuse.call(this, socket, req);
    socket.unref();
  };
  return agent;
}
