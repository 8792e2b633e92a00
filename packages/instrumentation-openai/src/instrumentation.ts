import { context, createContextKey, type Context } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { CallLifecycle, InferenceCall, isBudgetExceededError, reportUnpatchedModule, unwrapMethod, wrapMethod } from '@costtrace/pipeline';
import { GEN_AI_PROVIDER_NAME_VALUE_OPENAI } from '@costtrace/semconv';
import { ChatCompletionsCall } from './chat-completions';
import { CompletionsCall } from './completions';
import { EmbeddingsCall } from './embeddings';
import type { Params, ResourceLike, SurfaceCall, SurfaceDeps } from './internal-types';
import { resolveOptions, type ResolvedOptions } from './options';
import { observeResult } from './observe-api-promise';
import { refusedPromise } from './refused-promise';

const OWNER = 'instrumentation-openai';
import { ResponsesCall } from './responses';
import { TokenCounter } from './token-counter';
import type { OpenAIInstrumentationConfig } from './types';
import { isSupportedVersion, PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_RANGE } from './version';

/**
 * Set while one of our inference calls runs the SDK method. A patched method
 * called inside it (an SDK helper calling the patched `create`, a second
 * patched copy of the SDK) is the same model call: it is passed through, and
 * the outer call owns the span and the usage. `createContextKey` is
 * `Symbol.for`, so an ESM and a CommonJS copy of this package share it.
 */
const ACTIVE_CALL_KEY = createContextKey('costtrace.instrumentation-openai.active_call');

type SurfaceFactory = (params: Params, resource: ResourceLike | undefined, deps: SurfaceDeps) => SurfaceCall;
type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

interface Target {
  /** Where it lives on `moduleExports.OpenAI`, for messages. */
  readonly name: string;
  readonly prototype: (exports: OpenAIModuleShape) => object | undefined;
  readonly surface: SurfaceFactory;
}

interface OpenAIClassShape {
  Chat?: { Completions?: { prototype?: object } };
  Completions?: { prototype?: object };
  Responses?: { prototype?: object };
  Embeddings?: { prototype?: object };
}

interface OpenAIModuleShape {
  OpenAI?: OpenAIClassShape;
  default?: OpenAIClassShape;
}

const TARGETS: readonly Target[] = [
  {
    name: 'Chat.Completions',
    prototype: (m) => openAIClass(m)?.Chat?.Completions?.prototype,
    surface: (p, r, d) => new ChatCompletionsCall(p, r, d),
  },
  // The Responses API arrived in openai 4.87; older 4.x have no OpenAI.Responses.
  { name: 'Responses', prototype: (m) => openAIClass(m)?.Responses?.prototype, surface: (p, r, d) => new ResponsesCall(p, r, d) },
  { name: 'Embeddings', prototype: (m) => openAIClass(m)?.Embeddings?.prototype, surface: (p, r, d) => new EmbeddingsCall(p, r, d) },
  // The legacy Completions API (`completions.create`, gpt-3.5-turbo-instruct).
  { name: 'Completions', prototype: (m) => openAIClass(m)?.Completions?.prototype, surface: (p, r, d) => new CompletionsCall(p, r, d) },
];

function openAIClass(m: OpenAIModuleShape): OpenAIClassShape | undefined {
  return m.OpenAI ?? m.default;
}

/**
 * OpenTelemetry instrumentation for the `openai` SDK (`>=4.0.0 <8`): one GenAI
 * inference span per model call (`chat.completions.create`, `responses.create`,
 * `embeddings.create`, the legacy `completions.create`, and the helpers built on them), exact usage, and
 * costtrace's budget gate before every call.
 */
export class OpenAIInstrumentation extends InstrumentationBase<OpenAIInstrumentationConfig> {
  private _options: ResolvedOptions;
  private _counter: TokenCounter;
  private _warnedVersions: Set<string>;

  constructor(config: OpenAIInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
    this._options = resolveOptions(this.getConfig(), this._diag);
    this._counter = new TokenCounter(this._diag);
    this._warnedVersions = new Set();
  }

  override setConfig(config: OpenAIInstrumentationConfig = {}): void {
    super.setConfig(config);
    // The base constructor calls setConfig before this class's fields exist.
    if (this._counter) this._options = resolveOptions(this.getConfig(), this._diag);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    // '*' and a check of our own, so an unsupported version is reported (once)
    // instead of being skipped silently by the module hook.
    return [
      new InstrumentationNodeModuleDefinition(
        'openai',
        ['*'],
        (moduleExports: OpenAIModuleShape, moduleVersion?: string) => this._patch(moduleExports, moduleVersion),
        (moduleExports: OpenAIModuleShape | undefined) => this._unpatch(moduleExports),
      ),
    ];
  }

  private _patch(moduleExports: OpenAIModuleShape, version: string | undefined): OpenAIModuleShape {
    if (version !== undefined && !isSupportedVersion(version)) {
      const reason = `openai ${version} is outside the supported range ${SUPPORTED_RANGE}`;
      if (!this._warnedVersions.has(version)) {
        this._warnedVersions.add(version);
        this._diag.warn(`${reason}; it is left unpatched and its calls are neither traced nor budgeted`);
      }
      reportUnpatchedModule({ module: 'openai', version, reason });
      return moduleExports;
    }
    for (const target of TARGETS) {
      try {
        const proto = target.prototype(moduleExports) as Record<string, unknown> | undefined;
        // Not this._wrap: it would remove another instrumentation's wrapper (the official
        // @opentelemetry/instrumentation-openai), and theirs would remove ours. wrapMethod coexists.
        if (!proto) continue;
        wrapMethod(proto, 'create', OWNER, (original) => this._patchedCreate(original as AnyFunction, target.surface) as never);
      } catch (err) {
        this._diag.error(`OpenAIInstrumentation: could not patch OpenAI.${target.name}.create`, err);
      }
    }
    return moduleExports;
  }

  private _unpatch(moduleExports: OpenAIModuleShape | undefined): void {
    if (!moduleExports) return;
    for (const target of TARGETS) {
      const proto = target.prototype(moduleExports) as Record<string, unknown> | undefined;
      if (proto) unwrapMethod(proto, 'create', OWNER);
    }
  }

  private _patchedCreate(original: AnyFunction, surfaceFor: SurfaceFactory): AnyFunction {
    const self = this;
    return function patchedCreate(this: unknown, ...args: unknown[]): unknown {
      const parent = context.active();
      const active = parent.getValue(ACTIVE_CALL_KEY) as { ended?: boolean } | undefined;
      if (active && active.ended === false) return original.apply(this, args);

      let surface: SurfaceCall;
      let call: InferenceCall;
      try {
        const params = args[0];
        if (typeof params !== 'object' || params === null || typeof (params as Params)['model'] !== 'string') {
          return original.apply(this, args);
        }
        surface = surfaceFor(params as Params, this as ResourceLike, self._deps());
        call = self._start(surface, args, parent);
      } catch (err) {
        // A refused call is never sent.
        if (isBudgetExceededError(err)) return refusedPromise(err);
        self._diag.error('OpenAIInstrumentation: could not start the call span; calling through', err);
        return original.apply(this, args);
      }

      let sendArgs: unknown[];
      let ctx: Context;
      try {
        sendArgs = surface.sendArgs(args, call.model, call.sendSignal);
        ctx = call.context.setValue(ACTIVE_CALL_KEY, call);
      } catch (err) {
        self._diag.error('OpenAIInstrumentation: could not prepare the request; calling through', err);
        call.end({});
        return original.apply(this, args);
      }

      let result: unknown;
      try {
        result = context.with(ctx, () => original.apply(this, sendArgs));
      } catch (err) {
        call.end({ error: err });
        throw err;
      }
      try {
        const life = new CallLifecycle({
          call,
          codec: surface,
          diag: self._diag,
          unreadTimeoutMs: self._options.unreadStreamTimeoutMs,
          name: 'OpenAIInstrumentation',
        });
        const onStreamError = surface.onStreamError ? (error: unknown) => surface.onStreamError!(error) : undefined;
        observeResult(life, result, (message) => self._diag.warn(message), onStreamError);
      } catch (err) {
        self._diag.error('OpenAIInstrumentation: could not observe the response; ending the span', err);
        call.end({});
      }
      return result;
    };
  }

  private _start(surface: SurfaceCall, args: unknown[], parent: Context): InferenceCall {
    const options = args[1];
    const callerSignal =
      typeof options === 'object' && options !== null ? (options as { signal?: AbortSignal | null }).signal : undefined;
    return InferenceCall.start({
      tracer: this.tracer,
      diag: this._diag,
      provider: GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
      operation: surface.operation,
      requestModel: surface.requestModel,
      streaming: surface.streaming,
      estimate: surface.estimate,
      attributes: surface.attributes,
      callerSignal: callerSignal ?? null,
      parentContext: parent,
      propagateBaggage: this._options.propagateBaggage,
    });
  }

  private _deps(): SurfaceDeps {
    return { diag: this._diag, options: this._options, counter: this._counter };
  }
}

