// Helpers for the OpenAI Agents SDK scenarios: an app's planner that hands off to a writer, on a
// client pointed at fake-llm. Nothing here is costtrace code: an app writes the same.
import { openaiClient } from '../shared.mjs';

/** A planner turn that hands off: one `transfer_to_writer` call, the tool the SDK makes for a handoff. */
export function handoffReply() {
  return { id: 'resp_handoff', toolCalls: [{ name: 'transfer_to_writer' }], usage: { inputTokens: 60, outputTokens: 12 } };
}

/**
 * The app's two agents and a runner whose model provider uses the app's own client (the SDK's
 * default provider would keep the first client it was given for the whole process).
 */
export function plannerAndWriter(ctx, { clientOptions = {}, modelSettings, model = 'gpt-4.1-mini' } = {}) {
  const agents = ctx.sdks['@openai/agents'];
  const runner = new agents.Runner({ modelProvider: new agents.OpenAIProvider({ openAIClient: openaiClient(ctx, clientOptions) }) });
  const settings = modelSettings === undefined ? {} : { modelSettings };
  const writer = new agents.Agent({ name: 'writer', instructions: 'Write the haiku.', model, ...settings });
  const planner = new agents.Agent({
    name: 'planner',
    instructions: 'Plan the haiku, then hand off to the writer.',
    model,
    handoffs: [writer],
    ...settings,
  });
  return { agents, runner, planner, writer };
}

/** What the app sees of an error: its class, and the budget error behind it, found as a user would. */
export function describeAgentsError(err) {
  let budget;
  for (let e = err, depth = 0; e && depth < 8; e = e.cause, depth++) {
    if (e[Symbol.for('costtrace.BudgetExceededError')] === true) {
      budget = { name: e.name, action: e.action, scope: e.scope?.name, depth };
      break;
    }
  }
  return { ctor: err?.constructor?.name, name: err?.name, budget };
}
