import { context, type Context, type DiagLogger, type Tracer } from '@opentelemetry/api';
import { CallLifecycle, getCallGate, InferenceCall, isBudgetExceededError, type CallCodec } from '@costtrace/pipeline';
import { ATTR_COSTTRACE_PROVIDER_COST_USD } from '@costtrace/semconv';
import type { CodecFactory, WireCodecChoice } from './codec-for';
import type { ModelRequest } from './match-request';
import { observedResponse } from './observed-response';
import type { ResolvedOptions } from './options';
import type { BodyMode } from './wire-chunks';
import { WireCodec } from './wire-codec';
import { readCallerRequest, sendArgs, type FetchInput } from './wire-request';

type Fetch = (input: FetchInput, init?: RequestInit) => Promise<Response>;

/** What one call needs from its instrumentation. */
export interface FetchCallDeps {
  readonly tracer: Tracer;
  readonly diag: DiagLogger;
  readonly options: ResolvedOptions;
  readonly codecs: CodecFactory;
  /** Says once per reason that a model call goes out untraced (and so unbudgeted). */
  untraced(reason: string): void;
}

/** Thrown (and caught) when a recognised request cannot be traced: it is sent as the caller made it. */
const UNTRACED = Symbol('untraced');

/** LiteLLM's proxy reports the cost it computed for the call in this response header (USD). */
const LITELLM_COST_HEADER = 'x-litellm-response-cost';

/**
 * One model call made with `fetch`: read the request, admit it (the gate may answer
 * asynchronously), send it with the call's signal, and hand the caller a Response whose
 * body is observed as they read it. Whatever fails on our side, the request goes out as
 * the caller made it; a budget refusal rejects with the BudgetExceededError, nothing sent.
 */
export async function fetchCall(
  deps: FetchCallDeps,
  original: Fetch,
  request: ModelRequest,
  url: string,
  input: FetchInput,
  init: RequestInit | undefined,
  parent: Context,
): Promise<Response> {
  let call: InferenceCall;
  let codec: CallCodec;
  let args: [FetchInput, RequestInit | undefined];
  let untraced: string | undefined;
  let admitting = false;
  try {
    const read = readCallerRequest(url, input, init);
    const caller = read instanceof Promise ? await read : read;
    const params = caller.params;
    // Gemini names the model in the path; every other protocol in the body.
    const named = request.pathModel !== undefined || typeof params?.['model'] === 'string';
    const choice = params === undefined || !named ? undefined : deps.codecs.codecFor(request, params);
    if (choice === undefined) {
      if (params === undefined) untraced = 'its body is not JSON it can read without taking it from the request';
      else untraced = named ? `${request.surface} has no codec` : 'its JSON body names no model';
      throw UNTRACED;
    }
    codec = choice.codec;
    const start = getCallGate()?.beginAsync === undefined ? InferenceCall.start : InferenceCall.startAsync;
    const started = start({
      tracer: deps.tracer,
      diag: deps.diag,
      provider: request.provider,
      operation: codec.operation,
      requestModel: codec.requestModel,
      streaming: codec.streaming,
      estimate: codec.estimate,
      attributes: codec.attributes,
      callerSignal: caller.signal ?? null,
      parentContext: parent,
      propagateBaggage: deps.options.propagateBaggage,
    });
    // A gate that answers synchronously costs no turn of the event loop.
    if (started instanceof Promise) {
      // Its rejection means nothing may be sent: a refusal, the caller's abort, a shutdown.
      admitting = true;
      call = await started;
      admitting = false;
    } else call = started;
    try {
      args = sendArgs(input, init, changes(choice, call, caller.params!, request, url));
    } catch (err) {
      call.end({});
      throw err;
    }
  } catch (err) {
    if (admitting || isBudgetExceededError(err)) throw err; // refused (or aborted while admitted): nothing is sent
    if (err === UNTRACED) deps.untraced(untraced!);
    else deps.diag.error('FetchInstrumentation: could not start the call span; calling through', err);
    // Outside the try: a failure of the request itself is the caller's, and it is sent once.
    return original(input, init);
  }

  const lifecycle = (mode: BodyMode): CallLifecycle =>
    new CallLifecycle({
      call,
      codec: new WireCodec(codec, call, mode),
      diag: deps.diag,
      unreadTimeoutMs: deps.options.unreadStreamTimeoutMs,
      name: 'FetchInstrumentation',
    });
  let response: Response;
  try {
    response = await context.with(call.context, () => original(...args));
  } catch (err) {
    const budgetError = call.budgetError;
    lifecycle('json').failed(err);
    // Stopped by a budget before the response came: the caller gets the BudgetExceededError itself.
    throw budgetError ?? err;
  }

  const mode: BodyMode = (response.headers.get('content-type') ?? '').includes('text/event-stream') ? 'sse' : 'json';
  const life = lifecycle(mode);
  try {
    const cost = Number(response.headers.get(LITELLM_COST_HEADER) ?? NaN);
    if (Number.isFinite(cost) && cost >= 0) call.setAttributes({ [ATTR_COSTTRACE_PROVIDER_COST_USD]: cost });
    if (!response.ok) {
      // The caller reads the provider's error as it was sent; the call ends now as an error.
      life.failed({ name: String(response.status), message: `HTTP ${response.status} ${response.statusText}`.trim() });
      return response;
    }
    if (response.body === null) {
      life.endUnobserved();
      return response;
    }
    return observedResponse(response, life, mode);
  } catch (err) {
    deps.diag.error('FetchInstrumentation: could not observe the response; ending the span', err);
    life.endUnobserved();
    return response;
  }
}

/** What the request sent must carry beyond the caller's: the codec's additions, a downgrade, the call's signal. */
function changes(
  choice: WireCodecChoice,
  call: InferenceCall,
  params: Record<string, unknown>,
  request: ModelRequest,
  url: string,
): { body?: string; url?: string; signal?: AbortSignal } {
  const change: { body?: string; url?: string; signal?: AbortSignal } = {};
  const sent = choice.sendParams(call.model);
  if (sent !== params) change.body = JSON.stringify(sent);
  // Gemini names the model in the path.
  if (call.downgraded && request.pathModel !== undefined) change.url = url.replace(`/models/${request.pathModel}:`, `/models/${call.model}:`);
  const signal = call.sendSignal;
  if (signal !== undefined) change.signal = signal;
  return change;
}
