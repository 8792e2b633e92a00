// Run by sequential-runs.test.ts: `node --expose-gc --import @costtrace/register` this file.
// RUNS budgeted runs one after another, each with one model call: every SDK_EVERY-th an openai chat
// call through the SDK (answered by an in-process fetch: no socket), admitted by the budget gate;
// the others a model-call span of the app's own tracer, priced and charged after the fact. The heap
// after the first WARMUP runs and at the end, after full collections.
import { trace } from '@opentelemetry/api';
import { withRun } from '@costtrace/core';
import OpenAI from 'openai';

const RUNS = Number(process.env.RUNS);
const WARMUP = Number(process.env.WARMUP);
const SDK_EVERY = Number(process.env.SDK_EVERY);
const tracer = trace.getTracer('costtrace-scale-app');
const CALL_ATTRIBUTES = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.usage.input_tokens': 100,
  'gen_ai.usage.output_tokens': 10,
};
const body = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'fine thanks' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
});
const fetch = async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
const client = new OpenAI({ baseURL: 'http://in-process.invalid/v1', apiKey: 'sk-test', maxRetries: 0, fetch });
const messages = [{ role: 'user', content: 'hi' }];

function heapUsed() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

let warm = 0;
let spent = 0;
for (let i = 0; i < RUNS; i++) {
  await withRun(`run ${i % 100}`, { budgetUsd: 0.01 }, async () => {
    if (i % SDK_EVERY === 0) await client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 20, messages });
    else tracer.startSpan('chat gpt-4o-mini', { attributes: CALL_ATTRIBUTES }).end();
  });
  spent++;
  if (i + 1 === WARMUP) warm = heapUsed();
  if (process.env.HEAP_EVERY && (i + 1) % Number(process.env.HEAP_EVERY) === 0) process.stderr.write(`heap after ${i + 1}: ${heapUsed()}\n`);
}
const end = heapUsed();
const open = globalThis[Symbol.for('costtrace.registry')]?.openCalls?.size ?? -1;
process.stdout.write(`${JSON.stringify({ runs: spent, warm, end, open })}\n`);
