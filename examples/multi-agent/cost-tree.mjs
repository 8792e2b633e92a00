// The run's cost tree, from its spans alone: run → agents (by role, then each instance) → steps → calls.
// Costs are summed in integer pico-USD, as costtrace computes them, so sums are exact.

const PICO = 1e12;
const toPico = (usd) => BigInt(Math.round((usd ?? 0) * PICO));
const OP = 'gen_ai.operation.name';

/** Builds the tree of the latest run in `spans`. */
export function buildCostTree(spans) {
  const run = spans
    .filter((s) => s.attributes[OP] === 'invoke_workflow')
    .reduce((latest, s) => (latest === undefined || s.startTimeUnixNano > latest.startTimeUnixNano ? s : latest), undefined);
  if (!run) throw new Error('no run span (gen_ai.operation.name=invoke_workflow) in the spans');
  const children = new Map();
  for (const s of spans) {
    if (s.traceId !== run.traceId || !s.parentSpanId) continue;
    const list = children.get(s.parentSpanId) ?? [];
    list.push(s);
    children.set(s.parentSpanId, list);
  }
  const kids = (s) => (children.get(s.spanId) ?? []).sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1));
  // costtrace's own call spans carry the outcome; a span another instrumentation wrote for the same
  // call (the Anthropic SDK's own tracing) is marked `duplicate` and counted on ours.
  const isCall = (s) => s.attributes['costtrace.call.outcome'] !== undefined && s.attributes['costtrace.pricing.status'] !== 'duplicate';
  const callsUnder = (s) => kids(s).flatMap((k) => (isCall(k) ? [call(k)] : callsUnder(k)));
  const call = (s) => ({
    model: s.attributes['gen_ai.response.model'] ?? s.attributes['gen_ai.request.model'],
    provider: s.attributes['gen_ai.provider.name'],
    outcome: s.attributes['costtrace.call.outcome'],
    error: s.attributes['error.type'],
    estimated: s.attributes['costtrace.usage.estimated'] === true,
    inputTokens: s.attributes['gen_ai.usage.input_tokens'] ?? 0,
    outputTokens: s.attributes['gen_ai.usage.output_tokens'] ?? 0,
    pico: toPico(s.attributes['gen_ai.usage.cost.amount']),
  });
  const subtree = (s) => ({
    pico: toPico(s.attributes['costtrace.subtree.cost_usd']),
    calls: s.attributes['costtrace.subtree.llm_calls'] ?? 0,
    inputTokens: s.attributes['costtrace.subtree.input_tokens'] ?? 0,
    outputTokens: s.attributes['costtrace.subtree.output_tokens'] ?? 0,
  });
  const budget = (s) =>
    s.attributes['costtrace.budget.limit_usd'] === undefined
      ? undefined
      : {
          limitUsd: s.attributes['costtrace.budget.limit_usd'],
          spentUsd: s.attributes['costtrace.budget.spent_usd'],
          exceeded: s.attributes['costtrace.budget.exceeded'] === true,
          abortedCalls: s.attributes['costtrace.budget.aborted_calls'] ?? 0,
          refusedCalls: s.attributes['costtrace.budget.refused_calls'] ?? 0,
        };

  const roles = new Map();
  for (const agentSpan of kids(run).filter((s) => s.attributes[OP] === 'invoke_agent')) {
    const name = agentSpan.attributes['gen_ai.agent.name'];
    const instance = {
      spanId: agentSpan.spanId,
      ...subtree(agentSpan),
      budget: budget(agentSpan),
      steps: kids(agentSpan)
        .filter((s) => s.attributes['costtrace.step.name'] !== undefined)
        .map((s) => ({ name: s.attributes['costtrace.step.name'], spanId: s.spanId, ...subtree(s), calls: callsUnder(s) })),
      // A call made outside any step of the agent.
      looseCalls: kids(agentSpan).filter(isCall).map(call),
    };
    const role = roles.get(name) ?? { name, instances: [], pico: 0n, calls: 0, inputTokens: 0, outputTokens: 0 };
    role.instances.push(instance);
    role.pico += instance.pico;
    role.calls += instance.calls;
    role.inputTokens += instance.inputTokens;
    role.outputTokens += instance.outputTokens;
    roles.set(name, role);
  }
  const agents = [...roles.values()];
  const steps = agents.flatMap((a) => a.instances.flatMap((i) => i.steps));
  const costliestStep = steps.reduce((top, s) => (top === undefined || s.pico > top.pico ? s : top), undefined);
  return {
    runName: run.attributes['costtrace.run.name'],
    runId: run.attributes['costtrace.run.id'],
    traceId: run.traceId,
    ...subtree(run),
    budget: budget(run),
    agents,
    agentsPico: agents.reduce((sum, a) => sum + a.pico, 0n),
    costliestStepId: costliestStep?.spanId,
  };
}

/** USD with six decimals, from pico-USD, exactly. */
export function usd(pico) {
  const micro = (pico + 500_000n) / 1_000_000n;
  return `$${micro / 1_000_000n}.${String(micro % 1_000_000n).padStart(6, '0')}`;
}

const share = (pico, total) => (total === 0n ? '' : `${(Number((pico * 10_000n) / total) / 100).toFixed(2)}%`);
const int = (n) => n.toLocaleString('en-US');

/** The tree as text, one line per node: label, model, calls, tokens, cost, share of the run. */
export function printCostTree(tree) {
  const rows = [];
  const row = (label, model, calls, inTok, outTok, pico, note = '') =>
    rows.push([label, model, String(calls), int(inTok), int(outTok), usd(pico), share(pico, tree.pico), note]);
  const b = tree.budget;
  row(`run ${tree.runName}`, '', tree.calls, tree.inputTokens, tree.outputTokens, tree.pico,
    b ? `budget $${b.limitUsd}, ${((b.spentUsd / b.limitUsd) * 100).toFixed(1)}% used` : '');
  tree.agents.forEach((agent, ai) => {
    const lastAgent = ai === tree.agents.length - 1;
    const [a1, a2] = lastAgent ? ['└─ ', '   '] : ['├─ ', '│  '];
    const many = agent.instances.length > 1;
    row(`${a1}${agent.name}${many ? ` ×${agent.instances.length}` : ''}`, '', agent.calls, agent.inputTokens, agent.outputTokens, agent.pico);
    agent.instances.forEach((inst, ii) => {
      let prefix = a2;
      if (many) {
        const lastInst = ii === agent.instances.length - 1;
        row(`${a2}${lastInst ? '└─ ' : '├─ '}#${ii + 1}`, '', inst.calls, inst.inputTokens, inst.outputTokens, inst.pico, stopNote(inst.budget));
        prefix = a2 + (lastInst ? '   ' : '│  ');
      } else if (stopNote(inst.budget)) rows[rows.length - 1][7] = stopNote(inst.budget);
      const nodes = [...inst.steps.map((s) => ({ step: s })), ...inst.looseCalls.map((c) => ({ call: c }))];
      nodes.forEach((node, si) => {
        const lastNode = si === nodes.length - 1;
        const [s1, s2] = lastNode ? ['└─ ', '   '] : ['├─ ', '│  '];
        if (node.call) return callRow(prefix + s1, node.call);
        const step = node.step;
        row(`${prefix}${s1}${step.name}`, '', step.calls.length, step.inputTokens, step.outputTokens, step.pico,
          step.spanId === tree.costliestStepId ? '◀ most expensive step' : '');
        step.calls.forEach((c, ci) => callRow(`${prefix}${s2}${ci === step.calls.length - 1 ? '└─ ' : '├─ '}`, c));
      });
    });
  });
  function callRow(label, c) {
    const note =
      c.outcome === 'completed' ? '' :
      c.outcome === 'budget_aborted' ? `⛔ stopped by its agent's budget${c.estimated ? ' (tokens counted as they streamed)' : ''}` :
      c.outcome === 'error' ? `✗ ${c.error}, no usage; the app retried` : c.outcome;
    row(`${label}call`, c.model, 1, c.inputTokens, c.outputTokens, c.pico, note);
  }
  const header = ['', 'model', 'calls', 'input tok', 'output tok', 'cost', 'share', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]].length)));
  const right = [false, false, true, true, true, true, true, false];
  const fmt = (r) => r.map((cell, i) => (right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  const lines = [fmt(header), ...rows.map(fmt)];
  const sum = tree.agents.map((a) => `${a.name} ${usd(a.pico)}`).join(' + ');
  lines.push('', `Per agent: ${sum} = ${usd(tree.agentsPico)} ${tree.agentsPico === tree.pico ? '= run total ✓' : `≠ run total ${usd(tree.pico)} ✗`}`);
  return lines.join('\n');
}

function stopNote(budget) {
  if (!budget) return '';
  const stops = budget.abortedCalls + budget.refusedCalls;
  if (!budget.exceeded && stops === 0) return `budget $${budget.limitUsd}`;
  return `⛔ budget $${budget.limitUsd} reached (spent $${budget.spentUsd.toFixed(6)}): ${budget.abortedCalls} call stopped, ${budget.refusedCalls} refused`;
}
