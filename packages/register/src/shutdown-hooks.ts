import type { DiagLogger } from '@opentelemetry/api';
import { describeError } from './export-errors';

/** How long a signal waits for spans to flush before the process exits anyway. */
const SIGNAL_FLUSH_TIMEOUT_MS = 5_000;

/** What the exit hooks call: flush (the app goes on) and shut down (the process is ending). */
export interface ExitActions {
  /**
   * Exports what has ended. `endOpenCalls`: end the model calls still in flight first (the process is
   * about to end); never when the app handles the signal or the crash, as its calls may go on.
   */
  flush(endOpenCalls: boolean): Promise<void>;
  shutdown(): Promise<void>;
  /** How long the process waits for `shutdown` once its work is done. */
  exitTimeoutMillis: number;
}

/**
 * Exports telemetry at exit with no code in the app:
 * - `beforeExit` (the event loop emptied: the app's work is done) shuts the
 *   tracer and meter providers down, so nothing of costtrace's schedules more
 *   work, and gives that at most `exitTimeoutMillis`; past it (a collector
 *   refusing or never answering: the SDK's exporters retry for up to 10 s and
 *   their timers keep the process alive) it warns once and exits with the
 *   process's exit code.
 * - SIGTERM and SIGINT flush; a signal handler replaces Node's default exit, so
 *   when the app has no handler of its own the signal is raised again after the
 *   flush and the process ends as it would have.
 */
export function installShutdownHooks(actions: ExitActions, diag: DiagLogger): () => void {
  let flushing: Promise<void> | undefined;
  let shutting: Promise<void> | undefined;
  const report = (what: string) => (err: unknown) => diag.warn(`costtrace: ${what} at exit failed: ${describeError(err)}`);
  const flushOnce = (endOpenCalls: boolean): Promise<void> => (flushing ??= actions.flush(endOpenCalls).catch(report('flushing telemetry')));
  const onBeforeExit = (): void => {
    shutting ??= actions.shutdown().catch(report('shutting telemetry down'));
    // Ref'd on purpose: it keeps the process alive while the export runs (the
    // exporters' sockets do not), and ends it when the export cannot finish.
    const deadline = setTimeout(() => {
      diag.warn(
        `costtrace: telemetry not exported within ${actions.exitTimeoutMillis} ms of exit (collector unreachable?); exiting without it`,
      );
      process.exit();
    }, actions.exitTimeoutMillis);
    void shutting.finally(() => clearTimeout(deadline));
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    const appHandles = process.listenerCount(signal) > 0;
    const timer = setTimeout(() => {
      diag.warn(`costtrace: spans not flushed within ${SIGNAL_FLUSH_TIMEOUT_MS} ms of ${signal}; exiting anyway`);
      reraise();
    }, SIGNAL_FLUSH_TIMEOUT_MS);
    timer.unref();
    let raised = false;
    function reraise(): void {
      if (raised || appHandles) return;
      raised = true;
      process.kill(process.pid, signal);
    }
    // An app with its own handler may drain its calls in flight: they end as they finish.
    void flushOnce(!appHandles).finally(() => {
      clearTimeout(timer);
      reraise();
    });
  };
  process.once('beforeExit', onBeforeExit);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return () => {
    process.off('beforeExit', onBeforeExit);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
