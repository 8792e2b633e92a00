import { handoffReply, plannerAndWriter } from './openai-agents-shared.mjs';

// The same handoff with the SDK's tracing on, exported to the app's own trace processor instead of
// OpenAI's (an app's way off the default exporter; the test machine has no network). costtrace must
// name the calls from the SDK's real spans, and leave the app's processor its spans.
export const replies = [handoffReply(), { text: 'an old silent pond', usage: { inputTokens: 80, outputTokens: 5 } }];

export default async function run(ctx) {
  const { agents, runner, planner } = plannerAndWriter(ctx);
  const seen = [];
  agents.setTraceProcessors([
    {
      onTraceStart: async () => {},
      onTraceEnd: async () => {},
      onSpanStart: async () => {},
      onSpanEnd: async (span) => {
        if (span.spanData.type === 'agent' || span.spanData.type === 'handoff') seen.push(`${span.spanData.type} ${span.spanData.name ?? span.spanData.to_agent}`);
      },
      shutdown: async () => {},
      forceFlush: async () => {},
    },
  ]);
  const result = await runner.run(planner, 'Write a haiku about a pond.');
  return { finalOutput: result.finalOutput, lastAgent: result.lastAgent.name, appTraceSpans: seen };
}
