import { context } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { endOpenCalls, frameworkAgentName, InferenceCall, setAgentNameSource, setScopes, EMPTY_SCOPES } from '../src/index';
import { recordingDiag, tracing } from './support';

afterEach(() => {
  setAgentNameSource('a', undefined);
  setAgentNameSource('b', undefined);
  endOpenCalls();
});

function start(t: ReturnType<typeof tracing>, parentContext = context.active()) {
  return InferenceCall.start({
    tracer: t.tracer,
    diag: recordingDiag(),
    provider: 'openai',
    operation: 'chat',
    requestModel: 'gpt-4o-mini',
    streaming: false,
    estimate: { inputTokens: 1, choices: 1 },
    parentContext,
  });
}

describe('framework agent names', () => {
  it('asks each adapter in turn, skipping one that throws or knows nothing', () => {
    expect(frameworkAgentName()).toBeUndefined();
    setAgentNameSource('a', () => {
      throw new Error('adapter bug');
    });
    setAgentNameSource('b', () => 'researcher');
    expect(frameworkAgentName()).toBe('researcher');
    setAgentNameSource('b', () => '');
    expect(frameworkAgentName()).toBeUndefined();
  });

  it('an adapter registered twice under one id is asked once, the newer one', () => {
    let calls = 0;
    setAgentNameSource('a', () => (calls++, undefined));
    setAgentNameSource('a', () => 'writer');
    expect(frameworkAgentName()).toBe('writer');
    expect(calls).toBe(0);
  });

  it("names the call's span, unless the app named its agent with withAgent", () => {
    const t = tracing();
    setAgentNameSource('a', () => 'planner');
    start(t).end({});
    const agent = { name: 'writer', id: undefined, traceId: '0'.repeat(32), spanId: '1'.repeat(16) };
    start(t, setScopes(context.active(), { ...EMPTY_SCOPES, agent })).end({});
    const [named, unnamed] = t.exporter.getFinishedSpans();
    expect(named!.attributes['gen_ai.agent.name']).toBe('planner');
    expect(unnamed!.attributes['gen_ai.agent.name']).toBeUndefined();
  });
});
