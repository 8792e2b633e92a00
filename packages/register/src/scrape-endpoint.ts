import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { diag } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';

const DEFAULT_PORT = 9464;
const PATH = '/metrics';

/**
 * `OTEL_METRICS_EXPORTER=prometheus`: the SDK's PrometheusExporter (a pull reader) served by a
 * server of costtrace's own at `OTEL_EXPORTER_PROMETHEUS_HOST:OTEL_EXPORTER_PROMETHEUS_PORT`
 * (default all interfaces, 9464), `/metrics`. The exporter's own server unrefs only itself: a
 * Prometheus that keeps its scrape connection alive held the app's event loop open, and an app
 * that had finished never exited. Here every accepted socket is unref'd too, and shutdown closes them.
 */
export class ScrapeEndpoint extends PrometheusExporter {
  private readonly _scrapeServer: Server;
  private readonly _scrapeSockets = new Set<Socket>();

  constructor(env: NodeJS.ProcessEnv) {
    super({ preventServerStart: true });
    const host = env.OTEL_EXPORTER_PROMETHEUS_HOST?.trim() || undefined;
    const portText = env.OTEL_EXPORTER_PROMETHEUS_PORT?.trim();
    let port = DEFAULT_PORT;
    if (portText) {
      const parsed = Number(portText);
      if (Number.isInteger(parsed) && parsed >= 0 && parsed < 65536) port = parsed;
      else diag.warn(`costtrace: OTEL_EXPORTER_PROMETHEUS_PORT="${portText}" is not a port; using ${DEFAULT_PORT}`);
    }
    this._scrapeServer = createServer((req, res) => {
      if ((req.url ?? '').split('?')[0] === PATH) this.getMetricsRequestHandler(req, res);
      else res.writeHead(404).end('Not Found');
    });
    this._scrapeServer.on('connection', (socket: Socket) => {
      socket.unref();
      this._scrapeSockets.add(socket);
      socket.once('close', () => this._scrapeSockets.delete(socket));
    });
    this._scrapeServer.on('error', (err) => diag.error(`costtrace: the Prometheus scrape endpoint could not listen on ${host ?? '*'}:${port}`, err));
    this._scrapeServer.listen({ port, host }, () => diag.debug(`costtrace: metrics served at http://${host ?? 'localhost'}:${port}${PATH}`));
    this._scrapeServer.unref();
  }

  override async onShutdown(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this._scrapeServer.listening) return resolve();
      this._scrapeServer.close(() => resolve());
      for (const socket of this._scrapeSockets) socket.destroy();
    });
    await super.onShutdown();
  }
}
