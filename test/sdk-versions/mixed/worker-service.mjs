// Service B of the two-service test: a plain node:http server under `--import @costtrace/register`.
// It continues the caller's trace (traceparent and baggage, extracted by hand: no HTTP
// instrumentation is loaded) and makes its model calls in it, so they charge the caller's run.
import http from 'node:http';
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import OpenAI from 'openai';
import { work } from './worker-work.mjs';

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const { fakeHeaders } = JSON.parse(body);
    const client = new OpenAI({ baseURL: `${process.env.FAKE_URL}/v1`, apiKey: 'sk-test-secret', maxRetries: 0, defaultHeaders: fakeHeaders });
    context.with(propagation.extract(ROOT_CONTEXT, req.headers), () => work(client)).then(
      (result) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(result));
      },
      (err) => {
        res.writeHead(500);
        res.end(String(err));
      },
    );
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`LISTENING ${server.address().port}\n`));
process.once('SIGTERM', () => server.close());
