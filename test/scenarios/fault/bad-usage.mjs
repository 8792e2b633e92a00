import { withRun } from '@costtrace/core';
import { anthropicClient, openaiClient } from '../shared.mjs';

// Usage blocks no provider should send: absent, negative, fractional, strings, huge; plain and
// streamed, OpenAI and Anthropic, under a run budget. The app gets its answers untouched; every
// call's span ends with a finite, non-negative cost, and the run's spend is their sum.
export const USAGES = {
  absent: null,
  empty: {},
  negative: { openai: { prompt_tokens: -100, completion_tokens: -5, total_tokens: -105 }, anthropic: { input_tokens: -100, output_tokens: -5 } },
  fractional: { openai: { prompt_tokens: 10.5, completion_tokens: 2.25, total_tokens: 12.75 }, anthropic: { input_tokens: 10.5, output_tokens: 2.25 } },
  strings: { openai: { prompt_tokens: '12', completion_tokens: 'many', total_tokens: 'x' }, anthropic: { input_tokens: '12', output_tokens: 'many' } },
  huge: { openai: { prompt_tokens: 1e300, completion_tokens: 2 ** 60, total_tokens: 1e300 }, anthropic: { input_tokens: 1e300, output_tokens: 2 ** 60 } },
};
const usageFor = (name, provider) => {
  const u = USAGES[name];
  return u === null || Object.keys(u).length === 0 ? u : u[provider];
};
export const CASES = Object.keys(USAGES).flatMap((u) => [`openai ${u}`, `openai stream ${u}`, `anthropic ${u}`, `anthropic stream ${u}`]);
export const replies = CASES.map((c) => ({ text: 'fine thanks', rawUsage: usageFor(c.split(' ').at(-1), c.split(' ')[0]) }));

export default async function run(ctx) {
  const openai = openaiClient(ctx);
  const anthropic = anthropicClient(ctx);
  const messages = [{ role: 'user', content: 'hi' }];
  const call = {
    openai: async () => (await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages })).choices[0].message.content,
    'openai stream': async () => {
      let text = '';
      for await (const c of await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages, stream: true })) text += c.choices?.[0]?.delta?.content ?? '';
      return text;
    },
    anthropic: async () => (await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages })).content[0].text,
    'anthropic stream': async () => {
      let text = '';
      for await (const e of await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages, stream: true })) text += e.delta?.text ?? '';
      return text;
    },
  };
  const seen = {};
  await withRun('bad usage', { budgetUsd: 1 }, async () => {
    for (const name of CASES) {
      const kind = name.split(' ').slice(0, -1).join(' ');
      seen[name] = await call[kind]().then((text) => ({ text }), (err) => ({ error: `${err?.constructor?.name}: ${err?.message}` }));
    }
  });
  return seen;
}
