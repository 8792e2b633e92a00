import {
  context as otelContext,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type DiagLogger,
  type Span,
} from '@opentelemetry/api';
import {
  ATTR_COSTTRACE_BUDGET_DOWNGRADED_FROM,
  ATTR_COSTTRACE_CALL_OUTCOME,
  ATTR_COSTTRACE_USAGE_ESTIMATED,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  type TokenUsage,
} from '@costtrace/semconv';
import { findBudgetExceededError, isBudgetExceededError } from './budget-exceeded-error';
import { CallAbort } from './call-abort';
import { awaitAdmission, getCallGate } from './call-gate';
import { setOwningCall } from './call-ownership';
import { frameworkAgentName } from './framework-agent';
import { GateCallView } from './gate-call';
import { getScopes } from './scope-context';
import { errorMessage } from './span-error-message';
import { trackOpenCall, untrackOpenCall } from './open-calls';
import type { OpenCall } from './registry';
import type { CallEnd, CallOutcome, CallTicket, GateCall, InferenceCallInit } from './types';
import { usageAttributes } from './usage-attributes';

export type { CallEnd, InferenceCallInit } from './types';

/**
 * One model call's span, budget ticket and abort signal, from before the
 * request is sent to the end of its response or stream. Shared by the
 * instrumentations so that every call ends its span exactly once with a
 * `costtrace.call.outcome`, whatever path it takes.
 */
export class InferenceCall implements OpenCall {
  readonly span: Span;
  /** The context the SDK call runs in: the parent's, with this call's span active and (by default) no baggage. */
  readonly context: Context;
  private readonly _diag: DiagLogger;
  private readonly _abort: CallAbort;
  private readonly _requestModel: string;
  private _model: string;
  private _ticket: CallTicket | undefined;
  /** False once the gate said no budget can stop this call. */
  private _abortable = true;
  private _usage: TokenUsage | undefined;
  private _usageEstimated = false;
  private _budgetError: Error | undefined;
  private _received = false;
  private _ended = false;
  /** Gives up waiting for an asynchronous gate's answer, while one is awaited. */
  private _stopAdmission: ((reason: unknown) => void) | undefined;

  /**
   * Starts the span and asks the call gate, synchronously, whether the call
   * may be sent. Throws the gate's BudgetExceededError when it refuses; the
   * span is then already ended as `budget_refused` and nothing may be sent.
   */
  static start(init: InferenceCallInit): InferenceCall {
    const parentContext = init.parentContext ?? otelContext.active();
    const call = new InferenceCall(init, parentContext);
    call._admit(init, parentContext);
    return call;
  }

  private constructor(init: InferenceCallInit, parent: Context) {
    this._diag = init.diag;
    this._requestModel = init.requestModel;
    this._model = init.requestModel;
    // First: a caller signal it cannot follow throws here, before a span exists to leak.
    this._abort = new CallAbort(init.callerSignal);
    // A framework's agent names the call only when the app named none with withAgent.
    const agentName = getScopes(parent).agent === undefined ? frameworkAgentName() : undefined;
    this.span = init.tracer.startSpan(
      `${init.operation} ${init.requestModel}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_GEN_AI_OPERATION_NAME]: init.operation,
          [ATTR_GEN_AI_PROVIDER_NAME]: init.provider,
          [ATTR_GEN_AI_REQUEST_MODEL]: init.requestModel,
          ...(agentName === undefined ? undefined : { [ATTR_GEN_AI_AGENT_NAME]: agentName }),
          ...init.attributes,
        },
      },
      parent,
    );
    const withSpan = trace.setSpan(parent, this.span);
    // The call's own mark, so a lower layer (the fetch instrumentation) knows the request it sees is owned.
    this.context = setOwningCall(
      init.propagateBaggage || propagation.getBaggage(withSpan) === undefined ? withSpan : propagation.deleteBaggage(withSpan),
      this,
    );
  }

  /**
   * {@link start} for callers that return a promise anyway (`fetch`): a gate's `beginAsync` may wait
   * on a shared store. Throws (synchronously) only when the call cannot be started at all: it may
   * then go out untraced. The promise rejects only when nothing may be sent: with the gate's
   * BudgetExceededError (the span ended as `budget_refused`), with the caller's abort reason when
   * the caller's signal aborts while the gate decides (as `fetch` does; `cancelled`), or with an
   * AbortError when a shutdown ends the call meanwhile. A gate without `beginAsync` answers
   * synchronously, as in {@link start}.
   */
  static startAsync(init: InferenceCallInit): Promise<InferenceCall> {
    const parentContext = init.parentContext ?? otelContext.active();
    const call = new InferenceCall(init, parentContext);
    const gate = getCallGate();
    if (gate?.beginAsync === undefined) {
      try {
        call._admit(init, parentContext);
      } catch (err) {
        return Promise.reject(err);
      }
      return Promise.resolve(call);
    }
    return call._admitAsync((c) => gate.beginAsync!(c), init, parentContext);
  }

  private async _admitAsync(beginAsync: (call: GateCall) => Promise<CallTicket>, init: InferenceCallInit, parentContext: Context): Promise<InferenceCall> {
    // Tracked while it waits: a shutdown during admission ends its span too (and stops the wait).
    trackOpenCall(this);
    let pending: Promise<CallTicket>;
    try {
      pending = Promise.resolve(beginAsync(this._gateCall(init, parentContext)));
    } catch (err) {
      pending = Promise.reject(err);
    }
    // The caller's abort rejects at once with its reason, whatever the gate does meanwhile.
    const signal = this._abort.followsCaller ? this._abort.signal : undefined;
    const admission = awaitAdmission(pending, signal, (err) => this._diag.error('costtrace: the budget gate failed to settle a call', err));
    this._stopAdmission = admission.stop;
    let ticket: CallTicket | undefined;
    try {
      ticket = await admission.answer;
    } catch (err) {
      if (signal?.aborted) this.end({ error: signal.reason });
      if (this._ended) throw err; // stopped (caller abort, shutdown): ended once already
      this._gateFailed(err);
    } finally {
      this._stopAdmission = undefined;
    }
    if (this._ended) {
      // Ended after the gate answered, before this resumed: hand the ticket back, send nothing.
      try {
        ticket?.end({ outcome: 'cancelled', usageEstimated: false });
      } catch (err) {
        this._diag.error('costtrace: the budget gate failed to settle a call', err);
      }
      throw shutdownError();
    }
    this._admitted(ticket, init);
    return this;
  }

  private _admit(init: InferenceCallInit, parentContext: Context): void {
    const gate = getCallGate();
    if (gate) {
      try {
        this._ticket = gate.begin(this._gateCall(init, parentContext));
      } catch (err) {
        this._gateFailed(err);
      }
      this._admitted(this._ticket, init);
    } else {
      this._abortable = false;
    }
    trackOpenCall(this);
  }

  private _gateCall(init: InferenceCallInit, parentContext: Context): GateCall {
    return new GateCallView(init.provider, init.operation, init.requestModel, init.streaming, this.span, this.context, parentContext, init.estimate, (reason) =>
      this._stopForBudget(reason),
    );
  }

  /** The gate threw: a refusal ends the call and is rethrown; anything else is logged and the call goes out unguarded. */
  private _gateFailed(err: unknown): void {
    if (isBudgetExceededError(err)) {
      if (this._ended) throw err; // a shutdown ended it meanwhile: its span is ended once
      this._ended = true;
      this._abort.release();
      untrackOpenCall(this);
      this._endSpan('budget_refused', err);
      throw err;
    }
    // A bug in the gate must not break the app; the call goes out unguarded
    // and the error says so, so the budget is never silently off.
    this._diag.error('costtrace: the budget gate failed; this call is sent without a budget check', err);
  }

  private _admitted(ticket: CallTicket | undefined, init: InferenceCallInit): void {
    this._ticket = ticket;
    if (ticket?.abortable === false) this._abortable = false;
    const model = ticket?.model;
    if (model && model !== init.requestModel) {
      this._model = model;
      this.span.updateName(`${init.operation} ${model}`);
      this.span.setAttribute(ATTR_GEN_AI_REQUEST_MODEL, model);
      this.span.setAttribute(ATTR_COSTTRACE_BUDGET_DOWNGRADED_FROM, init.requestModel);
    }
  }

  /** The model to send: the one asked for, or the gate's downgrade. */
  get model(): string {
    return this._model;
  }

  /** True when the gate replaced the model asked for. */
  get downgraded(): boolean {
    return this._model !== this._requestModel;
  }

  /** The call's own signal: aborted by the caller's signal or a budget stop. */
  get signal(): AbortSignal {
    return this._abort.signal;
  }

  /**
   * The signal to hand the SDK in place of the caller's own; undefined when
   * the caller gave none and no budget can stop the call (nothing to follow).
   */
  get sendSignal(): AbortSignal | undefined {
    return this._abortable || this._abort.followsCaller ? this._abort.signal : undefined;
  }

  /** The error a budget stopped this call with, once it has. */
  get budgetError(): Error | undefined {
    return this._budgetError;
  }

  get ended(): boolean {
    return this._ended;
  }

  /** True when the gate's ticket follows usage while the call runs (a budget applies). */
  get wantsRunningUsage(): boolean {
    return this._ticket?.onUsage !== undefined;
  }

  /** Usage so far (running estimate or the provider's count). */
  get usage(): TokenUsage | undefined {
    return this._usage;
  }

  /** True once the whole response has arrived: a budget crossing no longer stops the call. */
  get received(): boolean {
    return this._received;
  }

  /**
   * The whole response has arrived (a non-streaming body was read). A budget
   * crossing after this, its own included, leaves the call to complete.
   */
  markReceived(): void {
    this._received = true;
  }

  /**
   * Records usage: a running count while a stream runs (`estimated`), then
   * the provider's own count, which replaces any estimate. The provider's
   * count comes last in every stream (OpenAI's usage chunk, Responses'
   * `response.completed`, Anthropic's `message_delta`), so it marks the
   * response received before the gate sees it: a crossing it causes does not
   * stop the call it completes.
   */
  recordUsage(usage: TokenUsage, estimated: boolean): void {
    if (this._ended) return;
    if (estimated && this._usage && !this._usageEstimated) return; // never replace the provider's count
    if (!estimated) this._received = true;
    this._usage = usage;
    this._usageEstimated = estimated;
    const ticket = this._ticket;
    if (ticket?.onUsage) {
      try {
        ticket.onUsage(usage, estimated);
      } catch (err) {
        this._diag.error('costtrace: the budget gate failed on a usage update', err);
      }
    }
  }

  /** Sets attributes on the call's span while it is open. */
  setAttributes(attributes: Attributes): void {
    if (!this._ended) this.span.setAttributes(attributes);
  }

  /** Chooses the outcome for an error (or a consumer stop) from the abort state. */
  outcomeFor(error: unknown, consumerStopped = false): CallOutcome {
    if (this._budgetError) return 'budget_aborted';
    if (findBudgetExceededError(error)) return 'budget_aborted';
    if (this._abort.callerAborted || consumerStopped) return 'cancelled';
    return error === undefined ? 'completed' : 'error';
  }

  /** Ends the call exactly once; later calls are ignored. */
  end(info: CallEnd = {}): void {
    if (this._ended) return;
    this._ended = true;
    const outcome = info.outcome ?? this.outcomeFor(info.error, info.consumerStopped);
    let attributes: Attributes | undefined;
    try {
      attributes = this._usage ? usageAttributes(this._usage) : {};
      if (this._usage && this._usageEstimated) attributes[ATTR_COSTTRACE_USAGE_ESTIMATED] = true;
      if (info.finishReasons && outcome === 'completed') attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = info.finishReasons;
    } catch (err) {
      attributes = undefined;
      this._diag.error('costtrace: could not record usage on the span', err);
    }
    const ticket = this._ticket;
    this._ticket = undefined;
    if (ticket) {
      try {
        ticket.end({
          outcome,
          usage: this._usage,
          usageEstimated: this._usageEstimated,
          ...(info.responseModel === undefined ? {} : { responseModel: info.responseModel }),
        });
      } catch (err) {
        this._diag.error('costtrace: the budget gate failed to settle a call', err);
      }
    }
    this._abort.release();
    untrackOpenCall(this);
    this._stopAdmission?.(shutdownError());
    this._endSpan(outcome, this._budgetError ?? info.error, attributes);
  }

  /** @internal Called by `endOpenCalls()` at shutdown. */
  endForShutdown(): void {
    this.end({ outcome: 'cancelled' });
  }

  /** True only when this stopped a call still receiving its response. */
  private _stopForBudget(reason: Error): boolean {
    if (this._ended || this._budgetError || this._received) return false;
    this._budgetError = reason;
    this._abort.abort(reason.message);
    return true;
  }

  /** Writes the outcome (with `attributes`, the call's usage, in one setAttributes) and ends the span. */
  private _endSpan(outcome: CallOutcome, error: unknown, attributes: Attributes = {}): void {
    const span = this.span;
    attributes[ATTR_COSTTRACE_CALL_OUTCOME] = outcome;
    if (outcome === 'cancelled' || outcome === 'budget_refused' || outcome === 'budget_aborted' || outcome === 'error') {
      attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = ['error'];
    }
    if (outcome === 'budget_refused' || outcome === 'budget_aborted') {
      attributes[ATTR_ERROR_TYPE] = 'BudgetExceededError';
      span.setAttributes(attributes);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(findBudgetExceededError(error) ?? error) });
    } else if (outcome === 'error') {
      attributes[ATTR_ERROR_TYPE] = errorType(error);
      span.setAttributes(attributes);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
    } else {
      span.setAttributes(attributes);
    }
    span.end();
  }
}

/** What a call ended while its admission was awaited (a shutdown) rejects with: nothing is sent. */
function shutdownError(): Error {
  return new DOMException('costtrace: the call ended (shutdown) while waiting for admission', 'AbortError');
}

/** `error.type`: the error's class name (`RateLimitError`), else its `name`, else `_OTHER`. */
export function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const ctor = (error as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof ctor === 'string' && ctor !== '' && ctor !== 'Object') return ctor;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name !== '') return name;
  }
  return '_OTHER';
}
