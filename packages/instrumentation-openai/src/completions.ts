import type { Attributes } from '@opentelemetry/api';
import { asObject, lazyEstimate, type CallEnd, type CallEstimate, type CallSink } from '@costtrace/pipeline';
import { GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION, type TokenUsage } from '@costtrace/semconv';
import { ChatShapedCall } from './chat-shaped-call';
import type { Params, ResourceLike, SurfaceDeps } from './internal-types';
import { intParam, requestAttributes, serverAttributes } from './request-attributes';
import { byIndex } from './response-header';

/**
 * The legacy Completions API's default `max_tokens` when the request sets none
 * (https://platform.openai.com/docs/api-reference/completions/create#completions-create-max_tokens).
 */
const DEFAULT_MAX_TOKENS = 16;

/**
 * `completions.create` (the legacy Completions API: `gpt-3.5-turbo-instruct`, `davinci-002`, and
 * the OpenAI-compatible servers that still serve it), plain or streamed. Its usage has the chat
 * shape (`prompt_tokens`, `completion_tokens`); a stream carries it only with
 * `stream_options.include_usage`, which is added and its chunk hidden again, as for chat.
 */
export class CompletionsCall extends ChatShapedCall {
  readonly operation = GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION;
  readonly estimate: CallEstimate;
  readonly attributes: Attributes;
  /** Chunk texts not counted yet: counted at the end only if the provider's usage never came. */
  private readonly _uncounted: string[] = [];
  private _running = 0;

  constructor(_params: Params, resource: ResourceLike | undefined, _deps: SurfaceDeps) {
    super(_params, _deps);
    const maxOutputTokens = intParam(_params, 'max_tokens');
    const choices = intParam(_params, 'n') ?? 1;
    // `best_of` completions are generated (and billed) server-side, `n` of them returned.
    const generated = Math.max(1, choices, intParam(_params, 'best_of') ?? 1);
    this.estimate = lazyEstimate(() => estimatePrompt(_params, this.requestModel, _deps), {
      // Each prompt of a list gets its own completions.
      choices: generated * promptCount(_params['prompt']),
      maxOutputTokens: maxOutputTokens ?? DEFAULT_MAX_TOKENS,
    });
    this.attributes = { ...serverAttributes(resource), ...requestAttributes(_params, maxOutputTokens, choices) };
  }

  onBody(call: CallSink, body: unknown): CallEnd {
    const completion = this._readBody(call, body);
    if (!completion) return {};
    const finishReasons: string[] = [];
    let text = '';
    for (const choice of arrayOf(completion['choices'])) {
      const c = asObject(choice);
      if (typeof c?.['finish_reason'] === 'string') finishReasons.push(c['finish_reason']);
      if (typeof c?.['text'] === 'string') text += c['text'];
    }
    this._recordBodyUsage(call, completion, text);
    return this._header.end(finishReasons);
  }

  onChunk(call: CallSink, chunk: unknown): void {
    const c = this._readChunk(chunk);
    if (!c) return;
    let counted = false;
    for (const choice of arrayOf(c['choices'])) {
      const ch = asObject(choice);
      if (!ch) continue;
      const index = typeof ch['index'] === 'number' ? ch['index'] : 0;
      if (typeof ch['finish_reason'] === 'string') this._finishReasons.set(index, ch['finish_reason']);
      const text = typeof ch['text'] === 'string' ? ch['text'] : '';
      if (text === '' || this._providerUsage) continue;
      if (call.wantsRunningUsage) {
        this._running += this._count(text);
        counted = true;
      } else {
        this._uncounted.push(text);
      }
    }
    if (!this._recordChunkUsage(call, c) && counted) {
      call.recordUsage({ inputTokens: this.estimate.inputTokens, outputTokens: this._running }, true);
    }
  }

  onStreamEnd(call: CallSink): CallEnd {
    for (const text of this._uncounted) this._running += this._count(text);
    this._uncounted.length = 0;
    if (!this._providerUsage) call.recordUsage({ inputTokens: this.estimate.inputTokens, outputTokens: this._running }, true);
    call.setAttributes(this._header.attributes());
    return this._header.end(byIndex(this._finishReasons));
  }

  estimatedUsage(): TokenUsage {
    const max = this.estimate.maxOutputTokens ?? DEFAULT_MAX_TOKENS;
    return { inputTokens: this.estimate.inputTokens, outputTokens: max * this.estimate.choices };
  }
}

/**
 * Input tokens of a legacy prompt: a string, a list of strings (each its own prompt), or token
 * ids (a list of numbers, or a list of such lists). `suffix` is prompt text too.
 */
function estimatePrompt(params: Params, model: string, deps: SurfaceDeps): number {
  const prompt = params['prompt'];
  const suffix = params['suffix'];
  let tokens = typeof suffix === 'string' ? deps.counter.count(suffix, model) : 0;
  if (typeof prompt === 'string') return tokens + deps.counter.count(prompt, model);
  for (const item of arrayOf(prompt)) {
    if (typeof item === 'string') tokens += deps.counter.count(item, model);
    else if (typeof item === 'number') tokens += 1;
    else if (Array.isArray(item)) tokens += item.length;
  }
  return tokens;
}

/** How many prompts a request holds: a list of strings or of token lists is one prompt each. */
function promptCount(prompt: unknown): number {
  if (!Array.isArray(prompt) || prompt.length === 0) return 1;
  return prompt.every((item) => typeof item === 'string' || Array.isArray(item)) ? prompt.length : 1;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
