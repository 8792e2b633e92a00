import { describe, expect, it } from 'vitest';
import { collect, expectNothingOpen, harness, loadSdk, server } from './support';

// The legacy completions patch and the Responses stream error path rely on each SDK major's own
// classes and stream iterator: checked on every installed major.
const nodeMajor = Number(process.versions.node.split('.')[0]);
const MAJORS = [4, 5, 6, 7] as const;

// As recorded from api.openai.com (../shared/replay-recordings: oa-completions-legacy, oa-resp-stream-error).
const COMPLETION = JSON.stringify({
  id: 'cmpl-v1',
  object: 'text_completion',
  created: 1755182719,
  model: 'gpt-3.5-turbo-instruct:20230824-v2',
  choices: [{ text: 'Why did the collector', index: 0, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 8, completion_tokens: 4, total_tokens: 12 },
});
const ERROR_STREAM = [
  { type: 'response.created', sequence_number: 0, response: { id: 'resp_v1', object: 'response', status: 'in_progress', model: 'gpt-5-nano', output: [], usage: null, error: null } },
  { type: 'error', sequence_number: 1, error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota', param: null } },
]
  .map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
  .join('');

describe.each(MAJORS)('openai %i', (major) => {
  // openai 7 requires Node >= 22; it runs on the Node 26 CI leg.
  it.skipIf(major === 7 && nodeMajor < 22)('records a legacy completion and charges nothing for a stream that failed with an error event', async () => {
    const { sdk, version } = loadSdk(major);
    const h = await harness(sdk, version);
    try {
      h.fake.script(
        { rawBody: COMPLETION },
        { headers: { 'content-type': 'text/event-stream' }, rawBody: ERROR_STREAM },
      );
      await h.client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Tell me a joke' });
      const stream = await h.client.responses.create({ model: 'gpt-5-nano', input: 'Say hi', stream: true });
      await expect(collect(stream)).rejects.toThrow('You exceeded your current quota');
      const [completion, failed] = h.spans();
      expect(h.spans()).toHaveLength(2);
      expect(completion!.attributes).toEqual({
        'gen_ai.operation.name': 'text_completion',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-3.5-turbo-instruct',
        ...server(h),
        'gen_ai.response.id': 'cmpl-v1',
        'gen_ai.response.model': 'gpt-3.5-turbo-instruct:20230824-v2',
        'gen_ai.usage.input_tokens': 8,
        'gen_ai.usage.output_tokens': 4,
        'gen_ai.response.finish_reasons': ['stop'],
        'costtrace.call.outcome': 'completed',
      });
      expect(failed!.attributes).toMatchObject({
        'gen_ai.usage.input_tokens': 0,
        'gen_ai.usage.output_tokens': 0,
        'error.type': 'APIError',
        'costtrace.call.outcome': 'error',
      });
      expect(failed!.attributes).not.toHaveProperty('costtrace.usage.estimated');
      expectNothingOpen(h);
    } finally {
      await h.close();
    }
  }, 20_000); // loading an SDK major takes seconds on a loaded machine
});
