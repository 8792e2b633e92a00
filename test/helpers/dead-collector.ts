import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** Collectors that never take an export: one refusing connections, one accepting them and never answering. */
export interface DeadCollectors {
  /** A loopback URL with nothing listening: every connection is refused. */
  refused: string;
  /** A loopback URL that accepts connections and never responds (a black hole). */
  blackHole: string;
  /** Connections the black hole has accepted so far. */
  blackHoleConnections(): number;
}

/** Starts both dead collectors for a test file; they are closed after it. */
export function useDeadCollectors(): () => DeadCollectors {
  let collectors: DeadCollectors;
  let hole: Server;
  const sockets = new Set<Socket>();
  let accepted = 0;
  beforeAll(async () => {
    // A port that was just free: bound by a server that is closed again at once.
    const probe = createHttpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const refusedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    hole = createServer((socket) => {
      accepted++;
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
    const holePort = (hole.address() as AddressInfo).port;
    collectors = {
      refused: `http://127.0.0.1:${refusedPort}`,
      blackHole: `http://127.0.0.1:${holePort}`,
      blackHoleConnections: () => accepted,
    };
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => hole?.close(() => resolve()) ?? resolve());
  });
  return () => collectors;
}
