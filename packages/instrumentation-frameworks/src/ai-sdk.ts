import { AsyncLocalStorage } from 'node:async_hooks';
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { diag } from '@opentelemetry/api';
import { InstrumentationBase, type InstrumentationConfig, type InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import { setAgentNameSource } from '@costtrace/pipeline';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info';

/** The `ai` versions that publish their operations on the `ai:telemetry` tracing channel. */
export const AI_SDK_SUPPORTED_VERSIONS = '>=7.0.0 <8';

/** The Node tracing channel the AI SDK 7 publishes each operation, step, model call and tool call on. */
export const AI_SDK_TELEMETRY_CHANNEL = 'ai:telemetry';
const SOURCE_ID = 'ai-sdk';

/** The part of an `ai:telemetry` message this adapter reads: `{ type, event }`, the event carrying the app's telemetry settings. */
interface TelemetryMessage {
  event?: { functionId?: unknown };
}

/**
 * Names each model call the Vercel AI SDK 7 makes after the agent the app named with its telemetry
 * `functionId` (`generateText`, `streamText`, a `ToolLoopAgent`'s `telemetry` setting), with no
 * other code in the app and without `@ai-sdk/otel`.
 *
 * AI SDK 7 runs each `generateText`/`streamText`, step, model call and tool call inside the Node
 * tracing channel `ai:telemetry` when it has subscribers (`tracePromise`, or `start.runStores` for
 * a stream), each message's `event` carrying `functionId`. This adapter binds an AsyncLocalStorage
 * to the channel's `start`: the provider's `fetch` runs inside it. A call with no functionId keeps
 * the name of an enclosing one (a tool that calls another model). AI SDK 6 has no such channel: its
 * `functionId` reaches costtrace through its own telemetry spans (see the cost processor's tree).
 */
export class AiSdkInstrumentation extends InstrumentationBase<InstrumentationConfig> {
  // `declare`: InstrumentationBase's constructor calls enable() before field initialisers run.
  declare private _running: AsyncLocalStorage<string | undefined> | undefined;

  constructor(config: InstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}/ai-sdk`, PACKAGE_VERSION, config);
  }

  protected init(): InstrumentationModuleDefinition[] {
    // Nothing to patch: the AI SDK publishes on a diagnostics channel, whoever loads it and however.
    return [];
  }

  override enable(): void {
    super.enable();
    if (this._running !== undefined) return;
    try {
      const running = new AsyncLocalStorage<string | undefined>();
      const start = diagnosticsChannel.tracingChannel<string | undefined, object>(AI_SDK_TELEMETRY_CHANNEL).start;
      start.bindStore(running, (message: object) => functionIdOf(message) ?? running.getStore());
      this._running = running;
      setAgentNameSource(SOURCE_ID, () => running.getStore());
    } catch (err) {
      (this._diag ?? diag).error(`could not subscribe to the ${AI_SDK_TELEMETRY_CHANNEL} channel; AI SDK calls are not named after their functionId`, err);
    }
  }

  override disable(): void {
    super.disable();
    const running = this._running;
    if (running === undefined) return;
    this._running = undefined;
    diagnosticsChannel.tracingChannel(AI_SDK_TELEMETRY_CHANNEL).start.unbindStore(running);
    setAgentNameSource(SOURCE_ID, undefined);
  }
}

/** The app's `functionId` on an `ai:telemetry` message, or undefined. */
export function functionIdOf(message: unknown): string | undefined {
  const id = (message as TelemetryMessage | null | undefined)?.event?.functionId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
