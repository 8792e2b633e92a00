import { context, diag, type Context } from '@opentelemetry/api';
import { InstrumentationBase, type InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { claimOwnedRequest } from '@costtrace/pipeline';
import { CodecFactory } from './codec-for';
import { fetchCall, type FetchCallDeps } from './fetch-call';
import { unwrapGlobalFetch, wrapGlobalFetch } from './global-fetch';
import { matchRequest } from './match-request';
import { resolveOptions, type ResolvedOptions } from './options';
import type { FetchInstrumentationConfig } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';
import { methodOf, urlOf, type FetchInput } from './wire-request';

const OWNER = 'instrumentation-fetch';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/**
 * A wire-level instrumentation: wraps the global `fetch` and makes one GenAI inference span,
 * priced and gated by budgets, for each model call it recognises by its wire protocol
 * (OpenAI-compatible chat completions, Responses, embeddings; Anthropic messages; Gemini
 * `generateContent`), whatever client sent it: the Vercel AI SDK, Mastra, `@google/genai`,
 * plain `fetch`. A request made from inside an SDK-level call costtrace already traces (the
 * patched `openai` and `@anthropic-ai/sdk`) passes through untouched, as does every request
 * that is not a model call.
 */
export class FetchInstrumentation extends InstrumentationBase<FetchInstrumentationConfig> {
  // `setConfig` runs inside the base constructor, before field initializers: a
  // `declare`d field is not reset by them.
  private declare _resolved: ResolvedOptions;
  private declare _codecs: CodecFactory | undefined;
  private declare _warned: Set<string> | undefined;
  /** Our wrapper of the global fetch while enabled. */
  private declare _wrapper: unknown;

  constructor(config: FetchInstrumentationConfig = {}) {
    // Enabled below, once this class's fields exist (the base would enable it from its constructor).
    super(PACKAGE_NAME, PACKAGE_VERSION, { ...config, enabled: false });
    this.setConfig(config);
    if (config.enabled !== false) this.enable();
  }

  override setConfig(config: FetchInstrumentationConfig = {}): void {
    super.setConfig(config);
    this._resolved = resolveOptions(this._config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [];
  }

  override enable(): void {
    if (this._wrapper !== undefined) return;
    this._wrapper = wrapGlobalFetch(OWNER, (original) => this._wrapFetch(original));
  }

  override disable(): void {
    if (this._wrapper === undefined) return;
    unwrapGlobalFetch(OWNER, this._wrapper);
    this._wrapper = undefined;
  }

  private _wrapFetch(original: AnyFunction): AnyFunction {
    const self = this;
    return function fetch(this: unknown, ...args: unknown[]): unknown {
      const [input, init] = args as [FetchInput, RequestInit | undefined];
      let request: ReturnType<typeof matchRequest>;
      let url: string | undefined;
      let parent: Context;
      try {
        // Cheapest first: most requests an app makes are not POSTs to a model API.
        if (methodOf(input, init) !== 'POST') return original.apply(this, args);
        url = urlOf(input);
        request = url === undefined ? undefined : matchRequest(url, self._resolved);
        if (request === undefined) return original.apply(this, args);
        parent = context.active();
        // The request of an SDK-level call costtrace traces (openai ≥ 5, @anthropic-ai/sdk): that span owns it.
        // Only its own request (or the SDK's retry of it): a call made from its stream listener is another call.
        const settle = claimOwnedRequest(parent);
        if (settle !== undefined) return sendOwned(() => original.apply(this, args), settle);
      } catch (err) {
        self._diag.error('FetchInstrumentation: could not inspect a request; calling through', err);
        return original.apply(this, args);
      }
      const send = (i: FetchInput, n?: RequestInit): Promise<Response> => original.call(this, i, n) as Promise<Response>;
      return fetchCall(self._deps(), send, request, url!, input, init, parent);
    };
  }

  private _deps(): FetchCallDeps {
    const codecs = (this._codecs ??= new CodecFactory(this._diag ?? diag, () => this._resolved));
    return { tracer: this.tracer, diag: this._diag, options: this._resolved, codecs, untraced: (reason) => this._untraced(reason) };
  }

  private _untraced(reason: string): void {
    const warned = (this._warned ??= new Set());
    if (warned.has(reason) || warned.size >= 16) return;
    warned.add(reason);
    this._diag.warn(`FetchInstrumentation: a model call is sent untraced and unbudgeted: ${reason}`);
  }
}

/** Sends an owned request as it is, reporting back whether an OK response came (a failed attempt may be retried). */
function sendOwned(send: () => unknown, settle: (ok: boolean) => void): unknown {
  let sent: unknown;
  try {
    sent = send();
  } catch (err) {
    settle(false);
    throw err;
  }
  // Reported before the SDK sees the response: its retry, made after, is claimed again.
  Promise.resolve(sent).then(
    (response) => settle((response as { ok?: unknown } | undefined)?.ok === true),
    () => settle(false),
  );
  return sent;
}
