// The app: plain openai and @anthropic-ai/sdk code, grouped into a run, its agents and their steps.
// Nothing here knows about costs; the instrumentation and processors add them. The only costtrace
// code is the grouping and the budgets (a run budget, and one per researcher).
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { findBudgetExceededError, withAgent, withRun, withStep } from '@costtrace/core';

export const RUN_BUDGET_USD = 1;
export const RESEARCHER_BUDGET_USD = 0.05;

export async function runPipeline({ openaiBaseURL, anthropicBaseURL, topic }) {
  // The app retries failed calls itself (withRetry below), so the clients do not.
  const openai = new OpenAI({ baseURL: openaiBaseURL, apiKey: 'demo', maxRetries: 0 });
  const anthropic = new Anthropic({ baseURL: anthropicBaseURL, apiKey: 'demo', maxRetries: 0 });

  return withRun('research-report', { budgetUsd: RUN_BUDGET_USD }, async () => {
    const plan = await withAgent('planner', () =>
      withStep('plan', () =>
        anthropic.messages.create({
          model: 'claude-opus-4-7',
          max_tokens: 1024,
          messages: [{ role: 'user', content: `Plan a short report on ${topic}: three research questions.` }],
        }),
      ),
    );

    // Three researchers in parallel: one role, three agent spans named `researcher`, each with its own budget.
    const questions = ['market size', 'key players', 'open problems'];
    const notes = await Promise.all(
      questions.map((question) =>
        withAgent('researcher', { budgetUsd: RESEARCHER_BUDGET_USD }, () => research(openai, topic, question)),
      ),
    );

    const draft = await withAgent('writer', () =>
      withStep('draft', () =>
        anthropic.messages.create({
          model: 'claude-sonnet-4-6',
          max_tokens: 4096,
          system: 'You write concise reports.',
          messages: [{ role: 'user', content: `Plan: ${plan.content[0].text}\nNotes: ${notes.join('\n')}` }],
        }),
      ),
    );

    const review = await withAgent('reviewer', () =>
      withStep('review', () =>
        openai.chat.completions.create({
          model: 'gpt-4.1',
          max_tokens: 1000,
          messages: [{ role: 'user', content: `Review this draft: ${draft.content[0].text}` }],
        }),
      ),
    );
    return { notes, review: review.choices[0].message.content };
  });
}

async function research(openai, topic, question) {
  const sources = await withStep('search', () =>
    withRetry(() =>
      openai.chat.completions.create({
        model: 'gpt-4o-mini',
        max_tokens: 800,
        messages: [{ role: 'user', content: `Find sources on ${topic}: ${question}` }],
      }),
    ),
  );
  return withStep('summarise', async () => {
    let text = '';
    try {
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o',
        stream: true,
        // The "open problems" summary was written without a max_tokens: nothing but its budget stops it.
        ...(question === 'open problems' ? {} : { max_tokens: 1500 }),
        messages: [{ role: 'user', content: `Summarise ${question}: ${sources.choices[0].message.content}` }],
      });
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      return text;
    } catch (err) {
      // The researcher's budget stopped the stream: keep what arrived, and let the run go on.
      const stop = findBudgetExceededError(err);
      if (stop) return `${text} [cut short: budget "${stop.scope.name}" $${stop.limitUsd} reached]`;
      throw err;
    }
  });
}

/** Retries a call that failed with a status worth retrying (429, 5xx) once, as many apps do. */
async function withRetry(call) {
  try {
    return await call();
  } catch (err) {
    if (err?.status !== 429 && !(err?.status >= 500)) throw err;
    return call();
  }
}
