import { context, propagation } from '@opentelemetry/api';
import { withRun } from '@costtrace/core';
import { anthropicClient, describeError, openaiClient } from '../shared.mjs';

// Recognisable secrets an app hands costtrace's way: none may reach an exported span, event, metric
// or log line by default (test/suites/security). The prompt is longer than the content cap the
// opt-in run sets, so its tail shows whether the cap held.
export const CANARIES = {
  apiKey: 'sk-canaryKEY7f3a9e2d41',
  anthropicKey: 'sk-ant-canaryANT5c8e19b3',
  echoedKey: 'sk-canaryECHO8c2b71d09',
  header: 'HEADERCANARY-a61f0c',
  prompt: 'PROMPTCANARY-b41d',
  promptTail: 'PROMPTTAILCANARY-e07a',
  completion: 'COMPLETIONCANARY-c93e',
  baggage: 'BAGGAGECANARY-d27f',
};
const PROMPT = `${CANARIES.prompt} ${'lorem ipsum '.repeat(20)}${CANARIES.promptTail}`;
const ANSWER = `${CANARIES.completion} and more words follow here`;

export const replies = [
  { text: ANSWER, usage: { inputTokens: 40, outputTokens: 6 } }, // openai chat
  { text: ANSWER, usage: { inputTokens: 40, outputTokens: 6 } }, // openai chat stream
  { text: ANSWER, usage: { inputTokens: 40, outputTokens: 6 } }, // openai responses
  { text: ANSWER, usage: { inputTokens: 40, outputTokens: 6 } }, // anthropic
  { text: ANSWER, usage: { inputTokens: 40, outputTokens: 6 } }, // anthropic stream
  { text: ANSWER, usage: { inputTokens: 40, outputTokens: 6 } }, // plain fetch
  // Providers (and proxies) echo the key they were sent.
  { status: 401, error: { type: 'invalid_request_error', code: 'invalid_api_key', message: `Incorrect API key provided: ${CANARIES.echoedKey}.` } },
  { status: 401, error: { type: 'authentication_error', message: `invalid x-api-key ${CANARIES.echoedKey}` } },
];

export default async function run(ctx) {
  const headers = { ...ctx.headers, 'x-app-secret': CANARIES.header };
  const openai = openaiClient({ ...ctx, headers }, { apiKey: CANARIES.apiKey });
  const anthropic = anthropicClient({ ...ctx, headers }, { apiKey: CANARIES.anthropicKey });
  const messages = [{ role: 'user', content: PROMPT }];
  const bag = propagation.createBaggage({ 'session.secret': { value: CANARIES.baggage } });
  const seen = [];
  await context.with(propagation.setBaggage(context.active(), bag), () =>
    withRun('security', { budgetUsd: 5 }, async () => {
      const chat = await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages });
      seen.push(chat.choices[0].message.content);
      const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages, stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      seen.push(text);
      const resp = await openai.responses.create({ model: 'gpt-4o-mini', max_output_tokens: 50, input: PROMPT });
      seen.push(resp.output_text);
      const msg = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages });
      seen.push(msg.content[0].text);
      const astream = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages, stream: true });
      let atext = '';
      for await (const ev of astream) if (ev.type === 'content_block_delta') atext += ev.delta.text ?? '';
      seen.push(atext);
      const res = await fetch(`${ctx.fakeUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${CANARIES.apiKey}`, ...headers },
        body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 50, messages }),
      });
      seen.push((await res.json()).choices[0].message.content);
      const echoed = openaiClient({ ...ctx, headers }, { apiKey: CANARIES.echoedKey });
      seen.push(await echoed.chat.completions.create({ model: 'gpt-4o-mini', messages }).then(() => 'sent', describeError));
      const aechoed = anthropicClient({ ...ctx, headers }, { apiKey: CANARIES.echoedKey });
      seen.push(await aechoed.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages }).then(() => 'sent', describeError));
    }),
  );
  return seen.map((s) => (typeof s === 'string' ? s.includes(CANARIES.completion) : s.status));
}
