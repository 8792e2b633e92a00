// The app: plain openai and @anthropic-ai/sdk code, grouped into a run and its agents.
// Nothing here knows about costs; the instrumentation and processors add them.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { withAgent, withRun, withStep } from '@costtrace/core';

export async function runPipeline({ openaiBaseURL, anthropicBaseURL, topic }) {
  const openai = new OpenAI({ baseURL: openaiBaseURL, apiKey: 'demo', maxRetries: 0 });
  const anthropic = new Anthropic({ baseURL: anthropicBaseURL, apiKey: 'demo', maxRetries: 0 });

  return withRun('research-report', { budgetUsd: 5 }, async () => {
    const plan = await withAgent('planner', () =>
      anthropic.messages.create({
        model: 'claude-opus-4-7',
        max_tokens: 1024,
        messages: [{ role: 'user', content: `Plan a short report on ${topic}: three research questions.` }],
      }),
    );

    const questions = ['market size', 'key players', 'open problems'];
    const notes = await Promise.all(
      questions.map((q, i) =>
        withAgent(`researcher-${i + 1}`, async () => {
          const sources = await withStep('search', () =>
            openai.chat.completions.create({
              model: 'gpt-4o-mini',
              messages: [{ role: 'user', content: `Find sources on ${topic}: ${q}` }],
            }),
          );
          const stream = await openai.chat.completions.create({
            model: 'gpt-4o-mini',
            stream: true,
            messages: [{ role: 'user', content: `Summarise: ${sources.choices[0].message.content}` }],
          });
          let text = '';
          for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
          return text;
        }),
      ),
    );

    const draft = await withAgent('writer', () =>
      anthropic.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 4096,
        system: 'You write concise reports.',
        messages: [{ role: 'user', content: `Plan: ${plan.content[0].text}\nNotes: ${notes.join('\n')}` }],
      }),
    );

    return withAgent('reviewer', () =>
      openai.chat.completions.create({
        model: 'gpt-4.1',
        messages: [{ role: 'user', content: `Review this draft: ${draft.content[0].text}` }],
      }),
    );
  });
}
