import { describe, expect, it } from 'vitest';
import { runningAgent } from '../src/openai-agents';

// The shapes below are the Agents SDK's own (`@openai/agents-core` Span: `spanData`, and
// `previousSpan`, the span that was current when this one was set current).
const agent = (name: string, previousSpan?: object) => ({ spanData: { type: 'agent', name }, previousSpan });
const response = (previousSpan?: object) => ({ spanData: { type: 'response' }, previousSpan });

describe('runningAgent', () => {
  it('is the nearest agent span at or above the current span', () => {
    expect(runningAgent(response(agent('writer', agent('planner'))))).toBe('writer');
    expect(runningAgent(agent('planner'))).toBe('planner');
  });

  it("reads a turn span's agent_name", () => {
    expect(runningAgent({ spanData: { type: 'turn', agent_name: 'planner' } })).toBe('planner');
  });

  it('is undefined outside an agent, on a nameless one, and on a cycle', () => {
    expect(runningAgent(null)).toBeUndefined();
    expect(runningAgent(response())).toBeUndefined();
    expect(runningAgent(agent(''))).toBeUndefined();
    const loop: { spanData: object; previousSpan?: object } = { spanData: { type: 'response' } };
    loop.previousSpan = loop;
    expect(runningAgent(loop)).toBeUndefined();
  });
});
