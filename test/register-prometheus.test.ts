// `OTEL_METRICS_EXPORTER=prometheus`: @costtrace/register serves the cost and budget metrics on a
// scrape endpoint (OTEL_EXPORTER_PROMETHEUS_HOST/PORT), alone or beside the app's own NodeSDK.
import { Agent, get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useServers } from './helpers/e2e';
import { freePort } from './helpers/prometheus-server';
import { runViewingService } from './helpers/viewing-service';

function scrape(port: number, agent: Agent | false): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/metrics', agent }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** The value of one series line, e.g. `costtrace_run_cost_count{costtrace_run_name="triage"}`, summed over its other labels. */
function value(text: string, name: string, label: string): number {
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(`${name}{`) && line.includes(label)) sum += Number(line.split(' ').pop());
  return sum;
}

describe('OTEL_METRICS_EXPORTER=prometheus', () => {
  const servers = useServers();

  it('serves the cost and budget metrics, and a scraper\'s kept-alive connection does not keep the finished app alive', async () => {
    const metricsPort = await freePort();
    // Like Prometheus: one connection, kept alive and used again before it idles out (the
    // server's 5 s keep-alive timeout), scraping until the app has gone.
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    let text = '';
    let scraper: ReturnType<typeof setInterval> | undefined;
    const { run } = await runViewingService(servers, {
      metricsPort,
      afterA: async () => void (await scrape(metricsPort, keepAlive)),
      afterB: async () => {
        text = await scrape(metricsPort, keepAlive);
        scraper = setInterval(() => void scrape(metricsPort, keepAlive).catch(() => undefined), 500);
      },
    });
    clearInterval(scraper);
    keepAlive.destroy();
    expect(run.stderr).toBe('');
    expect([run.exitCode, run.signal]).toEqual([0, null]);
    expect(value(text, 'costtrace_run_cost_count', 'costtrace_run_name="research"')).toBe(42);
    expect(value(text, 'costtrace_budget_refused_calls_total', 'costtrace_budget_scope="invoke_agent researcher"')).toBe(2);
    expect(value(text, 'costtrace_calls_unpriced_total', 'gen_ai_request_model="acme-selfhosted-7b"')).toBe(2);
    expect(value(text, 'costtrace_cost_total', 'gen_ai_agent_name="planner"')).toBeCloseTo(0.002 * 42, 10);
  }, 90_000);

  it('beside the app\'s own NodeSDK (loaded first, reading the same variable) the metrics are served by its endpoint', async () => {
    const metricsPort = await freePort();
    let text = '';
    const { run } = await runViewingService(servers, {
      metricsPort,
      preloadFirst: [{ esm: './own-provider.mjs', cjs: './own-provider.cjs' }],
      // The SDK's own exporter unrefs only its server: scrape without keeping the connection.
      afterB: async () => void (text = await scrape(metricsPort, false)),
    });
    expect([run.exitCode, run.signal]).toEqual([0, null]);
    expect(run.stderr).toContain('a tracer provider was registered before @costtrace/register');
    expect(value(text, 'costtrace_run_cost_count', 'costtrace_run_name="research"')).toBe(42);
    expect(value(text, 'costtrace_cost_total', 'gen_ai_agent_name="planner"')).toBeCloseTo(0.002 * 42, 10);
  }, 90_000);
});
