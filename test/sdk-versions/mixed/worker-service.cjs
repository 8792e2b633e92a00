// Service B of the two-service test, CommonJS: see worker-service.mjs.
const http = require('node:http');
const { context, propagation, ROOT_CONTEXT } = require('@opentelemetry/api');
const { OpenAI } = require('openai');

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', async () => {
    const { work } = await import('./worker-work.mjs');
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
