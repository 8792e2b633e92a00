import { isMainThread, parentPort } from 'node:worker_threads';
import { diag } from '@opentelemetry/api';
import { endOpenCalls, registry } from '@costtrace/pipeline';
import { readEnv, stderrLogger } from './env';
import { registerEsmLoaderHook } from './module-hooks';
import { buildPipeline, type CostTracing, type RegisterOptions } from './pipeline';
import { installCrashHooks } from './crash-hooks';
import { installShutdownHooks, type ExitActions } from './shutdown-hooks';

/**
 * Sets up the whole pipeline from the standard `OTEL_*` variables: a diag
 * logger at `OTEL_LOG_LEVEL` (default `warn`), the OpenAI and Anthropic
 * instrumentations (CommonJS and ESM), a sampler that records what it drops,
 * a batch processor with the OTLP/HTTP exporter, and flushing at exit.
 *
 * Returns undefined when `OTEL_SDK_DISABLED=true`. A second call returns the
 * first call's pipeline.
 */
export function registerCostTracing(options: RegisterOptions = {}): CostTracing | undefined {
  // Node 20 also runs `--require` preloads in its module-hooks thread, which has no
  // parentPort (an app's own worker always has one); nothing there is the app's.
  if (isLoaderThread()) return undefined;
  // One pipeline per process, whichever copy (ESM or CommonJS) registers first.
  const reg = registry();
  const existing = reg.registration as CostTracing | null | undefined;
  if (existing !== undefined) return existing ?? undefined;
  const warnings: string[] = [];
  const env = readEnv(process.env, (m) => warnings.push(m));
  if (env.disabled) {
    reg.registration = null;
    return undefined;
  }
  diag.setLogger(stderrLogger(), { logLevel: env.logLevel, suppressOverrideMessage: true });
  for (const warning of warnings) diag.warn(`costtrace: ${warning}`);
  // Before any instrumentation hooks a module, so the first `import` of the SDK is seen.
  if (options.esmLoaderHook !== false) registerEsmLoaderHook({ parentUrl: import.meta.url, diag });
  try {
    const { tracing, ownsTracerProvider } = buildPipeline(options, env, diag);
    reg.registration = tracing ?? null;
    if (tracing === undefined) return undefined;
    if (options.flushOnExit !== false) {
      const actions = exitActions(tracing, ownsTracerProvider);
      installShutdownHooks(actions, diag);
      installCrashHooks(actions, diag);
    }
    return tracing;
  } catch (err) {
    diag.error('costtrace: could not set up tracing; the app runs without it', err);
    reg.registration = null;
    return undefined;
  }
}

/** How long a finished (or crashing) process waits for its telemetry to export. */
const EXIT_TIMEOUT_MS = 1_500;

function exitActions(tracing: CostTracing, ownsTracerProvider: boolean): ExitActions {
  let shut: Promise<void> | undefined;
  return {
    exitTimeoutMillis: EXIT_TIMEOUT_MS,
    flush: async (endCalls) => {
      // A signal's flush can outlast the event loop (the exporters' sockets do not hold it):
      // once `beforeExit` has shut the providers down, their shutdown is the flush.
      if (shut) return shut;
      if (endCalls) endOpenCalls(); // a stream never read still exports its span
      await tracing.forceFlush();
    },
    // Shut down, not only flushed: a provider that is merely flushed goes on
    // scheduling exports (the metric reader's interval) and retries.
    shutdown: () =>
      (shut ??= (async () => {
        endOpenCalls();
        // An app's own provider is the app's to shut down: costtrace only flushes it.
        if (!ownsTracerProvider) return tracing.shutdown();
        await Promise.all([tracing.tracerProvider.shutdown(), tracing.meterProvider?.shutdown()]);
      })()),
  };
}

function isLoaderThread(): boolean {
  return !isMainThread && parentPort === null;
}
