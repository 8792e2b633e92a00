import { diag, propagation, type Attributes, type Context } from '@opentelemetry/api';
import { setCostLedger, type CostLedger, type SpendSoFar } from '@costtrace/pipeline';
import { getDefaultCatalog, type PriceCatalog } from '@costtrace/pricing';
import {
  ATTR_COSTTRACE_CALL_OUTCOME,
  ATTR_COSTTRACE_PRICING_REASON,
  ATTR_COSTTRACE_PRICING_STATUS,
  ATTR_COSTTRACE_RUN_ID,
  ATTR_COSTTRACE_RUN_NAME,
  ATTR_COSTTRACE_SUBTREE_COST_USD,
  ATTR_COSTTRACE_SUBTREE_INPUT_TOKENS,
  ATTR_COSTTRACE_SUBTREE_LATE_ARRIVALS,
  ATTR_COSTTRACE_SUBTREE_LLM_CALLS,
  ATTR_COSTTRACE_SUBTREE_OUTPUT_TOKENS,
  ATTR_COSTTRACE_SUBTREE_UNPRICED_CALLS,
  ATTR_GEN_AI_AGENT_NAME,
  CALL_OUTCOME_VALUE_BUDGET_REFUSED,
  PRICING_STATUS_VALUE_DUPLICATE,
  readUsage,
} from '@costtrace/semconv';
import { DirectSink, SpanSink } from './attribute-sinks';
import { agentNameOf, classifySpan, isModelCallKind, KIND_AGENT, KIND_CALL_MARKER, KIND_WORKFLOW } from './classify-span';
import { CostMetrics } from './cost-metrics';
import { recordCallMetrics } from './call-metrics';
import { priceCall, type AttributeSink, type CallCost } from './price-call';
import type { PricedCalls } from './priced-calls';
import { resolveBaggageKeys, resolveTreeOptions } from './resolve-options';
import { addRunCost, addSubtreeCost, runUsd, SpanNode, subtreeUsd } from './span-node';
import { duplicateOf, kindOf, SpanTree, type DropReason } from './span-tree';
import type { CostReadableSpan, CostSpan, CostSpanProcessorOptions } from './types';

/** State `createCostProcessors` builds once and hands to both processors. */
export interface CostProcessorLink {
  /** The one span tree of the pipeline; this processor starts spans in it. */
  tree: SpanTree;
  /** Each call's price, handed to the budget processor (spans the tree does not hold). */
  pricedCalls: PricedCalls;
  /** This processor is the last of the chain: it ends spans in the tree (no budget processor after it). */
  endsSpans: boolean;
}

/**
 * Prices every model-call span in `onEnding` (while it is still writable) and rolls cost, calls
 * and tokens up onto every ancestor, so a trace backend can answer "what did this agent, step or
 * run cost" from span attributes alone. Also the process's cost ledger (`currentCost()` in
 * `@costtrace/core`) and the source of the cost metrics.
 *
 * Register it before the exporting processor: `onEnding` hooks run in registration order, and
 * without `onEnding` (sdk-trace-base before 2.3) only processors after this one see the values.
 */
export class CostSpanProcessor implements CostLedger {
  private readonly _catalog: PriceCatalog;
  private readonly _metrics: CostMetrics;
  private readonly _baggageKeys: readonly string[];
  private readonly _tree: SpanTree;
  private readonly _endsSpans: boolean;
  /** Built alone (not by createCostProcessors): installs itself as the ledger on first use. */
  private _selfInstall: boolean;
  private readonly _spanSink = new SpanSink();
  private readonly _directSink = new DirectSink();
  private _removeLedger: (() => void) | undefined;
  private _sawOnEnding = false;
  private _warnedDropped = false;
  private _warnedDroppedState = false;
  private _warnedNoOnEnding = false;
  private _shutdown = false;

  private readonly _priced: PricedCalls | undefined;

  /**
   * @param options see {@link CostSpanProcessorOptions}
   * @param link state handed to both processors by `createCostProcessors` (the shared span tree,
   *   the hand-off of each call's price); without it the processor builds its own tree
   */
  constructor(options: CostSpanProcessorOptions = {}, link?: CostProcessorLink) {
    options ??= {};
    this._priced = link?.pricedCalls;
    this._catalog = options.catalog ?? getDefaultCatalog();
    this._metrics = new CostMetrics(options.meterProvider);
    this._baggageKeys = resolveBaggageKeys(options, process.env);
    this._tree = link?.tree ?? new SpanTree(resolveTreeOptions(options, process.env));
    this._endsSpans = link === undefined || link.endsSpans;
    this._tree.onDrop((spans, reason, limit) => this._dropped(spans, reason, limit));
    // The standalone convenience (see the README): a processor built alone, for an app's own
    // NodeSDK, becomes the ledger at its first span or, failing that (a sampler that records
    // nothing), in a microtask; never in the constructor itself. createCostProcessors never does.
    this._selfInstall = link === undefined;
    if (this._selfInstall) queueMicrotask(() => this._installSelf());
  }

  /**
   * Makes this processor the process's cost ledger (read by `currentCost()` and by budgets set
   * after calls ended); returns a function that removes it. `createCostProcessors().install()`
   * calls it.
   */
  installLedger(): () => void {
    this._selfInstall = false;
    const remove = setCostLedger(this);
    this._removeLedger = remove;
    return remove;
  }

  private _installSelf(): void {
    if (this._selfInstall && !this._shutdown) this.installLedger();
  }

  onStart(span: CostSpan, parentContext: Context): void {
    if (this._shutdown) return;
    if (this._selfInstall) this._installSelf();
    try {
      this._start(span, parentContext);
    } catch (err) {
      diag.error('CostSpanProcessor: onStart failed', err);
    }
  }

  onEnding(span: CostSpan): void {
    this._sawOnEnding = true;
    if (this._shutdown) return;
    try {
      // `ended` is already true when a hook is called again for a span that has ended.
      if (span.ended) return;
      const sink = this._spanSink;
      const droppedBefore = span.droppedAttributesCount ?? 0;
      sink.span = span;
      this._end(span, sink);
      sink.span = undefined;
      if ((span.droppedAttributesCount ?? 0) > droppedBefore) this._warnDropped(span.name);
    } catch (err) {
      this._spanSink.span = undefined;
      diag.error('CostSpanProcessor: onEnding failed', err);
    }
  }

  // The SDK drops new attributes silently once a span holds its limit (128 by default); flattened
  // prompt attributes from other instrumentations reach it easily, and costtrace writes last.
  private _warnDropped(spanName: string): void {
    if (this._warnedDropped) return;
    this._warnedDropped = true;
    diag.warn(
      `CostSpanProcessor: span "${spanName}" is at its attribute count limit, so some cost attributes were dropped; ` +
        'raise OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT (or spanLimits.attributeCountLimit)',
    );
  }

  onEnd(span: CostReadableSpan): void {
    if (this._sawOnEnding || this._shutdown) return;
    try {
      if (!this._warnedNoOnEnding) {
        this._warnedNoOnEnding = true;
        diag.warn(
          'CostSpanProcessor: the tracer provider does not call onEnding (it needs @opentelemetry/sdk-trace-base >= 2.3); ' +
            'costs are written in onEnd into the ended span, where only processors registered after this one see them',
        );
      }
      const sink = this._directSink;
      sink.attributes = Object.isExtensible(span.attributes) ? span.attributes : undefined;
      this._end(span, sink);
      sink.attributes = undefined;
    } catch (err) {
      this._directSink.attributes = undefined;
      diag.error('CostSpanProcessor: onEnd failed', err);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Removes the cost ledger and drops all state; later spans are ignored. */
  shutdown(): Promise<void> {
    if (!this._shutdown) {
      this._shutdown = true;
      this._removeLedger?.();
      this._removeLedger = undefined;
      this._selfInstall = false;
      this._tree.clear();
    }
    return Promise.resolve();
  }

  /**
   * {@link CostLedger}: the totals of the calls that have ended under a span so far, while its
   * trace's state is held (until the trace's last open span ends).
   */
  spendUnder(traceId: string, spanId: string): SpendSoFar | undefined {
    const node = this._tree.node(traceId, spanId);
    if (node === undefined) return undefined;
    return { costUsd: subtreeUsd(node), llmCalls: node.llmCalls, unpricedCalls: node.unpricedCalls };
  }

  private _start(span: CostSpan, parentContext: Context): void {
    const node = this._tree.start(span, parentContext);
    if (node !== undefined && this._baggageKeys.length > 0) node.baggage = propagation.getBaggage(parentContext);
  }

  // One warning for every kind of drop (the tree reports them), one count.
  private _dropped(openSpans: number, reason: DropReason, limit: number): void {
    this._metrics.droppedState(openSpans);
    if (this._warnedDroppedState) return;
    this._warnedDroppedState = true;
    const why =
      reason === 'ttl'
        ? `a trace had no span start or end for over ${limit} ms (stateTtlMs)`
        : `more than ${limit} spans were held (maxTrackedSpans)`;
    diag.warn(
      `CostSpanProcessor: dropped cost state because ${why}; the subtree totals of the spans concerned ` +
        'are incomplete (their calls are still priced and counted in metrics). Warned once.',
    );
  }

  private _end(span: CostSpan | CostReadableSpan, sink: AttributeSink): void {
    const sc = span.spanContext();
    const node = this._tree.node(sc.traceId, sc.spanId);
    if (node === undefined) this._endUntracked(span, sink);
    else if (!node.ended) this._finish(node, span, sink);
  }

  private _finish(node: SpanNode, span: CostSpan | CostReadableSpan, sink: AttributeSink): void {
    const attributes = span.attributes;
    const kind = classifySpan(attributes, span.name);
    node.kind = kind;
    if (isCall(kind, attributes, node)) this._finishCall(node, span, sink);

    if (node.llmCalls > 0) writeSubtree(node, sink);
    if (node.runCalls > 0) {
      const runId = this._runIdOf(node);
      if (typeof attributes[ATTR_COSTTRACE_RUN_ID] !== 'string') sink.set(ATTR_COSTTRACE_RUN_ID, runId);
      if (node.runCostedCalls > 0) {
        const name = attributes[ATTR_COSTTRACE_RUN_NAME];
        this._metrics.runCost(runUsd(node), typeof name === 'string' ? { [ATTR_COSTTRACE_RUN_NAME]: name } : {});
      }
    }
    if ((kind & KIND_AGENT) !== 0) node.agentName = agentNameOf(attributes);
    // Fix the run id now for calls below that end after this span (late arrivals).
    if (((kind & KIND_WORKFLOW) !== 0 || node.parent === undefined) && node.trace.open > 1) this._runIdOf(node);

    node.ended = true;
    if (this._endsSpans) this._tree.end(node);
  }

  private _finishCall(node: SpanNode, span: CostSpan | CostReadableSpan, sink: AttributeSink): void {
    const attributes = span.attributes;
    const duplicate = duplicateOf(node);
    let cost: CallCost | undefined;
    if (duplicate !== undefined) {
      // DESIGN.md: the outermost inference span of a call owns it (costtrace's own before a foreign one).
      const owner = duplicate.owner;
      sink.set(ATTR_COSTTRACE_PRICING_STATUS, PRICING_STATUS_VALUE_DUPLICATE);
      sink.set(ATTR_COSTTRACE_PRICING_REASON, duplicate.reason);
      if (!owner.ended && owner.adopted === undefined && readUsage(attributes) !== undefined) {
        owner.adopted = { attributes };
      }
    } else if (attributes[ATTR_COSTTRACE_CALL_OUTCOME] !== CALL_OUTCOME_VALUE_BUDGET_REFUSED) {
      cost = priceCall(attributes, span.startTime, this._catalog, sink, node.adopted?.attributes);
      addCall(node, cost);
      node.price = cost;
    }

    // One walk up: roll the call into every open ancestor, find the agent and the run.
    // The nearest agent ancestor with a name: a framework's nameless invoke_agent span (some
    // frameworks record one per turn) does not hide the name withAgent set above it.
    let agentName: string | undefined;
    let namelessAgent = false;
    let run: SpanNode | undefined;
    let root = node;
    let late = false;
    for (let a = node.parent; a !== undefined; a = a.parent) {
      kindOf(a);
      if (cost !== undefined) {
        if (a.ended) late = true;
        else {
          addCall(a, cost);
          if (late) a.lateArrivals += 1;
        }
      }
      if (run === undefined) {
        if (agentName === undefined && (a.kind & KIND_AGENT) !== 0) {
          agentName = this._agentNameOf(a);
          if (agentName === undefined) namelessAgent = true;
        }
        if ((a.kind & KIND_WORKFLOW) !== 0) run = a;
      }
      root = a;
    }

    const scopes = node.scopes;
    // Else the agent the Context carries (its span was not recorded, or carried no name).
    if (agentName === undefined && (run === undefined || namelessAgent)) agentName = scopes.agent?.name;
    if (agentName !== undefined && typeof attributes[ATTR_GEN_AI_AGENT_NAME] !== 'string') {
      sink.set(ATTR_GEN_AI_AGENT_NAME, agentName);
    }
    // The run: the nearest invoke_workflow ancestor, else the one the context carries (its span
    // was not recorded), else the local root.
    const runNode = run ?? (scopes.run === undefined ? root : undefined);
    const runId = runNode !== undefined ? this._runIdOf(runNode) : scopes.run?.runId;
    if (runId !== undefined && typeof attributes[ATTR_COSTTRACE_RUN_ID] !== 'string') sink.set(ATTR_COSTTRACE_RUN_ID, runId);
    this._copyBaggage(node, attributes, sink);

    if (cost === undefined) return;
    if (runNode !== undefined && !runNode.ended) {
      runNode.runCalls += 1;
      if (cost.costed) {
        runNode.runCostedCalls += 1;
        addRunCost(runNode, cost.pico, cost.bigPico);
      }
    }
    if (late) this._metrics.lateArrival();
    recordCallMetrics(this._metrics, cost, attributes, agentName ?? (attributes[ATTR_GEN_AI_AGENT_NAME] as string | undefined), span.name);
  }

  /** A span whose state was dropped or never held: priced as a leaf, counted in metrics. */
  private _endUntracked(span: CostSpan | CostReadableSpan, sink: AttributeSink): void {
    const attributes = span.attributes;
    const kind = classifySpan(attributes, span.name);
    if (!isCall(kind, attributes, undefined)) return;
    if (attributes[ATTR_COSTTRACE_CALL_OUTCOME] === CALL_OUTCOME_VALUE_BUDGET_REFUSED) return;
    const cost = priceCall(attributes, span.startTime, this._catalog, sink, undefined);
    this._priced?.record(span, cost, false);
    if (cost.costed) sink.set(ATTR_COSTTRACE_SUBTREE_COST_USD, cost.usd);
    sink.set(ATTR_COSTTRACE_SUBTREE_LLM_CALLS, 1);
    sink.set(ATTR_COSTTRACE_SUBTREE_INPUT_TOKENS, cost.inputTokens);
    sink.set(ATTR_COSTTRACE_SUBTREE_OUTPUT_TOKENS, cost.outputTokens);
    sink.set(ATTR_COSTTRACE_SUBTREE_UNPRICED_CALLS, cost.costed ? 0 : 1);
    const agent = attributes[ATTR_GEN_AI_AGENT_NAME];
    recordCallMetrics(this._metrics, cost, attributes, typeof agent === 'string' ? agent : undefined, span.name);
  }

  private _agentNameOf(agent: SpanNode): string | undefined {
    return agent.span === undefined ? agent.agentName : agentNameOf(agent.span.attributes);
  }

  /** `costtrace.run.id` of a run span, else `{traceId}-{spanId}` (as withRun): fixed at first use. */
  private _runIdOf(run: SpanNode): string {
    if (run.runId !== undefined) return run.runId;
    const own = run.span?.attributes[ATTR_COSTTRACE_RUN_ID];
    run.runId = typeof own === 'string' ? own : `${run.traceId}-${run.spanId}`;
    return run.runId;
  }

  private _copyBaggage(node: SpanNode, attributes: Attributes, sink: AttributeSink): void {
    const baggage = node.baggage;
    if (baggage === undefined) return;
    for (const key of this._baggageKeys) {
      if (attributes[key] !== undefined) continue;
      const entry = baggage.getEntry(key);
      if (entry !== undefined) sink.set(key, entry.value);
    }
  }
}

/** A model call (see isModelCallSpan), or a call marker whose nested duplicate carried the usage. */
function isCall(kind: number, attributes: Attributes, node: SpanNode | undefined): boolean {
  return isModelCallKind(kind, attributes) || (kind === KIND_CALL_MARKER && node?.adopted !== undefined);
}

function addCall(node: SpanNode, cost: CallCost): void {
  node.llmCalls += 1;
  if (cost.costed) {
    node.costedCalls += 1;
    addSubtreeCost(node, cost.pico, cost.bigPico);
  } else {
    node.unpricedCalls += 1;
  }
  node.inputTokens += cost.inputTokens;
  node.outputTokens += cost.outputTokens;
}

function writeSubtree(node: SpanNode, sink: AttributeSink): void {
  // All calls unpriced: no cost number at all, never a silent $0.
  if (node.costedCalls > 0) sink.set(ATTR_COSTTRACE_SUBTREE_COST_USD, subtreeUsd(node));
  sink.set(ATTR_COSTTRACE_SUBTREE_LLM_CALLS, node.llmCalls);
  sink.set(ATTR_COSTTRACE_SUBTREE_INPUT_TOKENS, node.inputTokens);
  sink.set(ATTR_COSTTRACE_SUBTREE_OUTPUT_TOKENS, node.outputTokens);
  sink.set(ATTR_COSTTRACE_SUBTREE_UNPRICED_CALLS, node.unpricedCalls);
  if (node.lateArrivals > 0) sink.set(ATTR_COSTTRACE_SUBTREE_LATE_ARRIVALS, node.lateArrivals);
}
