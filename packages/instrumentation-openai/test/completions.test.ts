import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { collect, expectNothingOpen, harness, loadSdk, server, type Harness } from './support';

// The legacy Completions API. fake-llm serves it here from raw bodies in the API's own shapes
// (as recorded from api.openai.com: ../shared/replay-recordings/oa-completions-legacy.body).
const { sdk, version } = loadSdk(6);

let h: Harness;
beforeAll(async () => {
  h = await harness(sdk, version);
});
afterAll(() => h.close());
afterEach(() => {
  expectNothingOpen(h);
  h.reset();
});

function base(): Record<string, unknown> {
  return {
    'gen_ai.operation.name': 'text_completion',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-3.5-turbo-instruct',
    ...server(h),
  };
}

const completion = (usage: unknown) =>
  JSON.stringify({
    id: 'cmpl-1',
    object: 'text_completion',
    created: 1755182719,
    model: 'gpt-3.5-turbo-instruct:20230824-v2',
    choices: [{ text: '\n\nWhy did the collector', index: 0, logprobs: null, finish_reason: 'length' }],
    usage,
  });

function sse(...chunks: unknown[]): string {
  return `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`;
}

const chunk = (text: string, finish: string | null = null) => ({
  id: 'cmpl-2',
  object: 'text_completion',
  created: 1755182719,
  model: 'gpt-3.5-turbo-instruct:20230824-v2',
  choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
});

describe('completions.create (legacy)', () => {
  it('records one text_completion span with the provider usage of a plain call', async () => {
    h.fake.script({ rawBody: completion({ prompt_tokens: 8, completion_tokens: 16, total_tokens: 24 }) });
    const result = await h.client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Tell me a joke', max_tokens: 16 });
    expect(result.choices[0].text).toBe('\n\nWhy did the collector');
    const span = h.onlySpan();
    expect(span.name).toBe('text_completion gpt-3.5-turbo-instruct');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toEqual({
      ...base(),
      'gen_ai.request.max_tokens': 16,
      'gen_ai.response.id': 'cmpl-1',
      'gen_ai.response.model': 'gpt-3.5-turbo-instruct:20230824-v2',
      'gen_ai.usage.input_tokens': 8,
      'gen_ai.usage.output_tokens': 16,
      'gen_ai.response.finish_reasons': ['length'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('counts the text itself when the usage is missing', async () => {
    h.fake.script({ rawBody: completion(undefined) });
    await h.client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Tell me a joke' });
    expect(h.onlySpan().attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 4, // "Tell me a joke" in cl100k_base
      'gen_ai.usage.output_tokens': 5, // "\n\n" "Why" " did" " the" " collector"
      'costtrace.usage.estimated': true,
    });
  });

  it('asks a stream for its usage, reads it and hides the usage chunk from the caller', async () => {
    h.fake.script({
      headers: { 'content-type': 'text/event-stream' },
      rawBody: sse(chunk('Why'), chunk(' did', 'length'), {
        ...chunk(''),
        choices: [],
        usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 },
      }),
    });
    const stream = await h.client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Tell me a joke', stream: true });
    const chunks = await collect(stream);
    expect(h.fake.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(chunks.map((c: { choices: Array<{ text: string }> }) => c.choices[0]?.text)).toEqual(['Why', ' did']);
    expect(h.onlySpan().attributes).toEqual({
      ...base(),
      'gen_ai.response.id': 'cmpl-2',
      'gen_ai.response.model': 'gpt-3.5-turbo-instruct:20230824-v2',
      'gen_ai.usage.input_tokens': 8,
      'gen_ai.usage.output_tokens': 2,
      'gen_ai.response.finish_reasons': ['length'],
      'costtrace.call.outcome': 'completed',
    });
  });

  it('records the cost an OpenRouter-style usage block reports as the provider cost', async () => {
    h.fake.script({ rawBody: completion({ prompt_tokens: 8, completion_tokens: 16, total_tokens: 24, cost: 0.000044 }) });
    await h.client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Tell me a joke' });
    expect(h.onlySpan().attributes).toMatchObject({ 'costtrace.provider.cost_usd': 0.000044, 'gen_ai.usage.input_tokens': 8 });
  });
});
