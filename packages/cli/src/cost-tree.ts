import { picoToUsd } from '@costtrace/pricing';
import type { CallRecord, RunInfo } from './read-calls';
import type { CostTreeNode } from './types';

interface Building {
  kind: CostTreeNode['kind'];
  name: string;
  pico: bigint;
  calls: number;
  model?: string;
  status?: string;
  children: Map<string, Building>;
}

const node = (kind: CostTreeNode['kind'], name: string): Building => ({ kind, name, pico: 0n, calls: 0, children: new Map() });

/** The run's cost tree: run → agents → steps → calls (stopped calls included at what they cost), costliest first. */
export function costTree(calls: CallRecord[], stops: CallRecord[], runId: string | undefined, runs: Map<string, RunInfo>): CostTreeNode | undefined {
  if (runId === undefined) return undefined;
  const mine = calls.filter((c) => c.runId === runId);
  const refused = stops.filter((c) => c.runId === runId && !mine.includes(c));
  if (mine.length === 0 && refused.length === 0) return undefined;
  const root = node('run', runs.get(runId)?.name ?? runId);
  for (const call of [...mine, ...refused]) {
    let agent = root.children.get(call.agent);
    if (agent === undefined) root.children.set(call.agent, (agent = node('agent', call.agent)));
    let step = agent.children.get(call.step);
    if (step === undefined) agent.children.set(call.step, (step = node('step', call.step)));
    const leaf: Building = { ...node('call', call.model), model: call.model, status: call.outcome === 'completed' || call.outcome === undefined ? call.status : call.outcome };
    leaf.pico = call.costPico;
    leaf.calls = mine.includes(call) ? 1 : 0;
    step.children.set(call.spanId, leaf);
    for (const n of [root, agent, step]) {
      n.pico += leaf.pico;
      n.calls += leaf.calls;
    }
  }
  return finish(root);
}

function finish(b: Building): CostTreeNode {
  const children = [...b.children.values()].sort((x, y) => (x.pico === y.pico ? x.name.localeCompare(y.name) : x.pico > y.pico ? -1 : 1));
  return {
    kind: b.kind,
    name: b.name,
    costUsd: picoToUsd(b.pico),
    calls: b.calls,
    ...(b.model === undefined ? {} : { model: b.model }),
    ...(b.status === undefined ? {} : { status: b.status }),
    children: children.map(finish),
  };
}
