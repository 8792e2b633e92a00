import type { Attributes } from '@opentelemetry/api';
import { asObject, lazyEstimate, tokenCount as intOf, type CallCodec, type CallEnd, type CallEstimate, type CallSink } from '@costtrace/pipeline';
import {
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT,
  type TokenUsage,
} from '@costtrace/semconv';
import { geminiUsage } from './gemini-usage';

type Json = Record<string, unknown>;

/** Characters per token assumed for the estimates: fewer than Gemini's ~4, so it over-counts. */
const CHARS_PER_TOKEN = 3;
/** Tokens one inline or file part (an image) may cost: Gemini bills an image tile at 258. */
const MEDIA_PART_TOKENS = 258;

/**
 * Google Gemini's `generateContent` and `streamGenerateContent` (Gemini API and Vertex AI):
 * the model is named in the request's path, the output cap in `generationConfig`, the usage
 * in each response's `usageMetadata`. In a stream every chunk carries the usage so far; the
 * chunk with a `finishReason` carries the final count.
 */
export class GeminiCodec implements CallCodec {
  readonly operation = GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT;
  readonly estimate: CallEstimate;
  readonly attributes: Attributes;
  readonly hides = false;
  readonly chargesStoppedRequests = true;
  private _usage: TokenUsage | undefined;
  private _final = false;
  private _outputChars = 0;
  private readonly _finishReasons = new Map<number, string>();
  private _id: string | undefined;
  private _model: string | undefined;
  private _failure: { name: string; message: string } | undefined;

  constructor(
    params: Json,
    readonly requestModel: string,
    readonly streaming: boolean,
    server: Attributes,
  ) {
    const config = asObject(params['generationConfig']) ?? {};
    const maxOutputTokens = intOf(config['maxOutputTokens']);
    const choices = Math.max(1, intOf(config['candidateCount']) ?? 1);
    this.estimate = lazyEstimate(() => estimateInput(params), {
      choices,
      ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    });
    const attrs: Attributes = { ...server };
    if (maxOutputTokens !== undefined) attrs[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = maxOutputTokens;
    const temperature = config['temperature'];
    if (typeof temperature === 'number' && Number.isFinite(temperature)) attrs[ATTR_GEN_AI_REQUEST_TEMPERATURE] = temperature;
    if (choices !== 1) attrs[ATTR_GEN_AI_REQUEST_CHOICE_COUNT] = choices;
    this.attributes = attrs;
  }

  onBody(sink: CallSink, body: unknown): CallEnd {
    const response = asObject(body);
    if (response) this._read(response);
    const usage = geminiUsage(response?.['usageMetadata']);
    if (usage) sink.recordUsage(usage, false);
    else sink.recordUsage(this._countedUsage(), true);
    return this._end(sink);
  }

  onChunk(sink: CallSink, chunk: unknown): void {
    const response = asObject(chunk);
    if (!response) return;
    const finished = this._read(response);
    const usage = geminiUsage(response['usageMetadata']);
    if (usage) this._usage = usage;
    if (finished) this._final = true;
    // The finishing chunk's usage is the call's; a usage-only chunk after it replaces it.
    if (this._final && this._usage && (usage || finished)) sink.recordUsage(this._usage, false);
    else if (!this._final && sink.wantsRunningUsage) sink.recordUsage(this._runningUsage(), true);
  }

  onStreamEnd(sink: CallSink): CallEnd {
    // A stream cut before its last chunk: the usage so far is the provider's, but not the call's whole.
    if (!this._final || !this._usage) sink.recordUsage(this._usage ?? this._countedUsage(), true);
    return this._end(sink);
  }

  sawStreamEnd(): boolean {
    return this._final;
  }

  estimatedUsage(): TokenUsage {
    const max = this.estimate.maxOutputTokens;
    return { inputTokens: this.estimate.inputTokens, ...(max === undefined ? {} : { outputTokens: max * this.estimate.choices }) };
  }

  hide(): boolean {
    return false;
  }

  /** Reads a response's header fields, finish reasons and text; true when a candidate finished. */
  private _read(response: Json): boolean {
    if (typeof response['responseId'] === 'string' && response['responseId'] !== '') this._id = response['responseId'];
    if (typeof response['modelVersion'] === 'string' && response['modelVersion'] !== '') this._model = response['modelVersion'];
    // A stream that fails midway sends Google's error object as a chunk (`@google/genai` throws it).
    const error = asObject(response['error']);
    if (error) this._failure = { name: stringOr(error['status'], 'stream_error'), message: stringOr(error['message'], 'stream error') };
    let finished = false;
    const candidates = Array.isArray(response['candidates']) ? response['candidates'] : [];
    for (let i = 0; i < candidates.length; i++) {
      const candidate = asObject(candidates[i]);
      if (!candidate) continue;
      const index = typeof candidate['index'] === 'number' ? candidate['index'] : i;
      if (typeof candidate['finishReason'] === 'string' && candidate['finishReason'] !== '') {
        this._finishReasons.set(index, candidate['finishReason'].toLowerCase());
        finished = true;
      }
      for (const part of partsOf(candidate['content'])) {
        if (typeof part['text'] === 'string') this._outputChars += part['text'].length;
        if (part['functionCall'] !== undefined) this._outputChars += JSON.stringify(part['functionCall']).length;
      }
    }
    return finished;
  }

  /**
   * While a stream runs its chunks carry the prompt (and thoughts) so far but no candidates count
   * before the last one: the text seen so far is counted in.
   */
  private _runningUsage(): TokenUsage {
    const usage = this._usage;
    if (!usage) return this._countedUsage();
    const counted = (usage.reasoningTokens ?? 0) + Math.ceil(this._outputChars / CHARS_PER_TOKEN);
    return { ...usage, outputTokens: Math.max(usage.outputTokens ?? 0, counted) };
  }

  private _countedUsage(): TokenUsage {
    return { inputTokens: this.estimate.inputTokens, outputTokens: Math.ceil(this._outputChars / CHARS_PER_TOKEN) };
  }

  private _end(sink: CallSink): CallEnd {
    const attrs: Attributes = {};
    if (this._id !== undefined) attrs[ATTR_GEN_AI_RESPONSE_ID] = this._id;
    if (this._model !== undefined) attrs[ATTR_GEN_AI_RESPONSE_MODEL] = this._model;
    sink.setAttributes(attrs);
    const finishReasons = [...this._finishReasons.entries()].sort((a, b) => a[0] - b[0]).map(([, reason]) => reason);
    return {
      ...(finishReasons.length === 0 ? {} : { finishReasons }),
      ...(this._model === undefined ? {} : { responseModel: this._model }),
      ...(this._failure ? { error: this._failure } : {}),
    };
  }
}

/** An over-estimate of the request's input: its text at 3 characters a token, each media part at 258. */
function estimateInput(params: Json): number {
  let chars = 0;
  let media = 0;
  const contents = Array.isArray(params['contents']) ? params['contents'] : [params['contents']];
  for (const content of [...contents, params['systemInstruction']]) {
    for (const part of partsOf(content)) {
      if (typeof part['text'] === 'string') chars += part['text'].length;
      else if (part['inlineData'] !== undefined || part['fileData'] !== undefined) media += 1;
      else chars += JSON.stringify(part).length;
    }
  }
  if (params['tools'] !== undefined) chars += JSON.stringify(params['tools']).length;
  return Math.ceil(chars / CHARS_PER_TOKEN) + media * MEDIA_PART_TOKENS + 4 * contents.length;
}

/** The parts of a `Content` (`{ role, parts }`), or of a bare string the caller sent as content. */
function partsOf(content: unknown): Json[] {
  if (typeof content === 'string') return [{ text: content }];
  const parts = asObject(content)?.['parts'];
  return Array.isArray(parts) ? parts.filter((p): p is Json => asObject(p) !== undefined) : [];
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

