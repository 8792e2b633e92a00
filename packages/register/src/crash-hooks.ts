import type { DiagLogger } from '@opentelemetry/api';
import { describeError } from './export-errors';
import type { ExitActions } from './shutdown-hooks';

/**
 * Exports finished spans when the app crashes on an uncaught exception or an
 * unhandled rejection (Node raises one as an uncaught exception unless the app
 * listens for `unhandledRejection`), then lets Node's default behaviour resume.
 *
 * Node exits synchronously on an uncaught exception when nothing listens for
 * it, so there is no time to export in `uncaughtExceptionMonitor`; costtrace
 * listens for `uncaughtException` itself and:
 * - when the app has a handler of its own, only starts a flush: the app's
 *   handler runs as before and decides whether the process goes on;
 * - otherwise stops listening, shuts telemetry down (at most
 *   `exitTimeoutMillis`) and throws the same error again, so Node prints it
 *   and exits non-zero exactly as it would have.
 */
export function installCrashHooks(actions: ExitActions, diag: DiagLogger): () => void {
  const onUncaught = (error: unknown): void => {
    try {
      if (process.listenerCount('uncaughtException') > 1) {
        void actions.flush(false).catch((err) => diag.debug(`costtrace: flushing telemetry after an uncaught exception failed: ${describeError(err)}`));
        return;
      }
      process.off('uncaughtException', onUncaught);
      let rethrown = false;
      const rethrow = (): void => {
        if (rethrown) return;
        rethrown = true;
        clearTimeout(deadline);
        process.nextTick(() => {
          throw error;
        });
      };
      const deadline = setTimeout(rethrow, actions.exitTimeoutMillis);
      void actions.shutdown().then(rethrow, rethrow);
    } catch {
      process.nextTick(() => {
        throw error;
      });
    }
  };
  process.on('uncaughtException', onUncaught);
  return () => process.off('uncaughtException', onUncaught);
}
