import { isMainThread, parentPort } from 'node:worker_threads';
import { diag } from '@opentelemetry/api';
import { endOpenCalls, registry } from '@costtrace/pipeline';
import { readEnv, stderrLogger } from './env';
import { registerEsmLoaderHook } from './module-hooks';
import { buildPipeline, type CostTracing, type RegisterOptions } from './pipeline';
import { installShutdownHooks } from './shutdown-hooks';


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
    const tracing = buildPipeline(options, env, diag);
    reg.registration = tracing;
    if (options.flushOnExit !== false) {
      installShutdownHooks(async () => {
        endOpenCalls(); // a stream never read still exports its span
        await tracing.forceFlush();
      }, diag);
    }
    return tracing;
  } catch (err) {
    diag.error('costtrace: could not set up tracing; the app runs without it', err);
    reg.registration = null;
    return undefined;
  }
}

function isLoaderThread(): boolean {
  return !isMainThread && parentPort === null;
}
