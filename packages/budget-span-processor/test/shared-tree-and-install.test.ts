import { context, diag, trace } from '@opentelemetry/api';
import { AlwaysOffSampler, StackContextManager, TracerProvider } from '@opentelemetry/sdk-trace';
import { getCallGate, getCostLedger, InferenceCall, isBudgetExceededError } from '@costtrace/pipeline';
import { CostSpanProcessor } from '@costtrace/cost-span-processor';
import { withRun } from '@costtrace/core';
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetSpanProcessor, createCostProcessors } from '../src/index';
import { recordDiag, setup } from './support';

interface TreeView {
  trackedSpans: number;
  traceCount: number;
}
const treeOf = (processor: object): TreeView => (processor as { _tree: TreeView })._tree;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  diag.disable();
});

function startCall(tracer: ReturnType<TracerProvider['getTracer']>, parentContext = context.active()): InferenceCall {
  return InferenceCall.start({
    tracer,
    diag,
    provider: 'openai',
    operation: 'chat',
    requestModel: 'gpt-4o-mini',
    streaming: false,
    estimate: { inputTokens: 1000, maxOutputTokens: 100, choices: 1 },
    parentContext,
  });
}

describe('no constructor installs global state', () => {
  it('a processor constructed alone leaves the call gate and the cost ledger as they were until later', async () => {
    const before = [getCallGate(), getCostLedger()];
    const budget = new BudgetSpanProcessor();
    const cost = new CostSpanProcessor();
    cleanups.push(() => budget.shutdown(), () => cost.shutdown());
    expect([getCallGate(), getCostLedger()]).toEqual(before);
    // The standalone convenience: installed in a microtask after construction.
    await Promise.resolve();
    expect([getCallGate(), getCostLedger()]).toEqual([budget, cost]);
  });

  it('a processor shut down before its microtask never installs itself', async () => {
    const before = getCallGate();
    const budget = new BudgetSpanProcessor();
    await budget.shutdown();
    await Promise.resolve();
    expect(getCallGate()).toBe(before);
  });

  it('createCostProcessors installs nothing by itself, not after a microtask nor at a span, only at install()', async () => {
    const before = [getCallGate(), getCostLedger()];
    const built = createCostProcessors();
    const provider = new TracerProvider({ spanProcessors: [...built.spanProcessors] });
    cleanups.push(() => provider.shutdown());
    await Promise.resolve();
    provider.getTracer('t').startSpan('s').end();
    expect([getCallGate(), getCostLedger()]).toEqual(before);
    const uninstall = built.install();
    expect([getCallGate(), getCostLedger()]).toEqual([built.budgetProcessor, built.costProcessor]);
    uninstall();
  });

  it('a budget processor built alone under a sampler that records nothing still refuses what its Context budget cannot cover', async () => {
    recordDiag();
    // A no-op when another test set one first: that one carries withRun's Context as well.
    context.setGlobalContextManager(new StackContextManager().enable());
    const budget = new BudgetSpanProcessor();
    const provider = new TracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [budget] });
    cleanups.push(() => provider.shutdown());
    const tracer = provider.getTracer('off');
    await Promise.resolve(); // the app's own start-up: the processor has installed itself by its first call
    // Reserving 1000 × 0.15 + 100 × 0.60 per million = $0.00021 would pass $0.0001.
    let refused: unknown;
    withRun('nightly', { budgetUsd: 0.0001, tracer }, () => {
      try {
        startCall(tracer).end();
      } catch (err) {
        refused = err;
      }
    });
    expect(isBudgetExceededError(refused)).toBe(true);
  });
});

describe('one span tree shared by both processors', () => {
  it('createCostProcessors hands both processors the same tree, holding each span once', () => {
    const built = createCostProcessors();
    const provider = new TracerProvider({ spanProcessors: [...built.spanProcessors] });
    cleanups.push(() => provider.shutdown());
    const tree = treeOf(built.costProcessor);
    expect(treeOf(built.budgetProcessor!)).toBe(tree);
    const tracer = provider.getTracer('t');
    const root = tracer.startSpan('root');
    tracer.startSpan('child', {}, trace.setSpan(context.active(), root));
    expect([tree.trackedSpans, tree.traceCount]).toEqual([2, 1]);
  });

  it('lets a trace go when its local root ends, after gated calls and budget scopes under it', () => {
    const built = createCostProcessors();
    const provider = new TracerProvider({ spanProcessors: [...built.spanProcessors] });
    const uninstall = built.install();
    cleanups.push(() => provider.shutdown(), uninstall);
    const tracer = provider.getTracer('t');
    const tree = treeOf(built.costProcessor);
    for (let i = 0; i < 20; i++) {
      const run = tracer.startSpan('run', { attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.budget.limit_usd': 1 } });
      const c = startCall(tracer, trace.setSpan(context.active(), run));
      c.recordUsage({ inputTokens: 1000, outputTokens: 100 }, false);
      c.end();
      run.end();
    }
    expect([tree.trackedSpans, tree.traceCount]).toEqual([0, 0]);
  });

  it('a budget processor built alone keeps its own tree, which holds no state once every trace has ended', () => {
    const env = setup();
    cleanups.push(() => env.cleanup());
    const tree = treeOf(env.processor);
    const agent = env.tracer.startSpan('agent', { attributes: { 'costtrace.budget.limit_usd': 1 } });
    env.call(agent).end();
    expect(tree.trackedSpans).toBe(2);
    agent.end();
    expect([tree.trackedSpans, tree.traceCount]).toEqual([0, 0]);
  });
});
