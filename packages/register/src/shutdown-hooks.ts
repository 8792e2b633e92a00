import type { DiagLogger } from '@opentelemetry/api';

/** How long a signal waits for spans to flush before the process exits anyway. */
const SIGNAL_FLUSH_TIMEOUT_MS = 5_000;

/**
 * Flushes spans when the event loop empties (`beforeExit`) and on SIGTERM and
 * SIGINT, with no code in the app. A signal handler replaces Node's default
 * exit, so when the app has no handler of its own the signal is raised again
 * after the flush and the process ends as it would have.
 */
export function installShutdownHooks(flush: () => Promise<void>, diag: DiagLogger): () => void {
  let flushing: Promise<void> | undefined;
  const once = (): Promise<void> => {
    flushing ??= flush().catch((err) => diag.error('costtrace: flushing spans at exit failed', err));
    return flushing;
  };
  const onBeforeExit = (): void => {
    void once();
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
    void once().finally(() => {
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
