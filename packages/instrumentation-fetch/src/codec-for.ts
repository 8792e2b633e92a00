import type { Attributes, DiagLogger } from '@opentelemetry/api';
import { serverAttributesOf, type CallCodec } from '@costtrace/pipeline';
import { MessagesCodec } from '@costtrace/instrumentation-anthropic';
import { ChatCompletionsCall, CompletionsCall, EmbeddingsCall, ResponsesCall, TokenCounter } from '@costtrace/instrumentation-openai';
import { GeminiCodec } from './gemini-codec';
import type { ModelRequest } from './match-request';
import type { ResolvedOptions } from './options';

type Json = Record<string, unknown>;

/** A model call's codec, and what its request must carry beyond what the caller sent. */
export interface WireCodecChoice {
  readonly codec: CallCodec;
  /** The request JSON to send for `model` (the caller's, or the codec's additions and a downgrade). */
  sendParams(model: string): Json;
}

/** Builds the codecs of the instrumentation packages for wire requests; one per FetchInstrumentation. */
export class CodecFactory {
  private readonly _counter: TokenCounter;
  private readonly _origins = new Map<string, { resource: { _client: { baseURL: string } }; server: Attributes }>();

  constructor(
    private readonly _diag: DiagLogger,
    private readonly _options: () => ResolvedOptions,
  ) {
    this._counter = new TokenCounter(_diag);
  }

  /** Undefined for a surface without a codec: the request is passed through. */
  codecFor(request: ModelRequest, params: Json): WireCodecChoice | undefined {
    const options = this._options();
    const origin = this._origin(request.origin);
    const deps = { diag: this._diag, options, counter: this._counter };
    switch (request.surface) {
      case 'openai.chat': {
        const codec = new ChatCompletionsCall(params, origin.resource, deps);
        // The codec adds `stream_options.include_usage` to a stream that lacks it.
        const adds = codec.streaming && (params['stream_options'] as Json | undefined)?.['include_usage'] !== true;
        return { codec, sendParams: (model) => (adds || model !== params['model'] ? (codec.sendArgs([params], model, undefined)[0] as Json) : params) };
      }
      case 'openai.completions': {
        const codec = new CompletionsCall(params, origin.resource, deps);
        // As for chat: `stream_options.include_usage` is added to a stream that lacks it.
        const adds = codec.streaming && (params['stream_options'] as Json | undefined)?.['include_usage'] !== true;
        return { codec, sendParams: (model) => (adds || model !== params['model'] ? (codec.sendArgs([params], model, undefined)[0] as Json) : params) };
      }
      case 'openai.responses': {
        const codec = new ResponsesCall(params, origin.resource, deps);
        return { codec, sendParams: (model) => (model !== params['model'] ? (codec.sendArgs([params], model, undefined)[0] as Json) : params) };
      }
      case 'openai.embeddings': {
        const codec = new EmbeddingsCall(params, origin.resource, deps);
        return { codec, sendParams: (model) => (model !== params['model'] ? (codec.sendArgs([params], model, undefined)[0] as Json) : params) };
      }
      case 'anthropic.messages': {
        const codec = new MessagesCodec(params, request.origin, params['stream'] === true, { ...options, sdkSpans: 'keep' });
        return { codec, sendParams: (model) => (model === params['model'] ? params : { ...params, model }) };
      }
      case 'gemini.generate_content': {
        const codec = new GeminiCodec(params, request.pathModel ?? 'unknown', request.pathStreaming === true, origin.server);
        return { codec, sendParams: () => params };
      }
      default:
        return undefined;
    }
  }

  /** Per origin, parsed once (bounded: an app may call many hosts). */
  private _origin(origin: string): { resource: { _client: { baseURL: string } }; server: Attributes } {
    let entry = this._origins.get(origin);
    if (entry === undefined) {
      if (this._origins.size >= 64) this._origins.clear();
      entry = { resource: { _client: { baseURL: origin } }, server: serverAttributesOf(origin) };
      this._origins.set(origin, entry);
    }
    return entry;
  }
}

