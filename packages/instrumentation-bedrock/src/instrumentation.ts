import { diag, type Span } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { patchSupportedVersion, unwrapMethod, wrapMethod, type ResolvedSharedOptions, type SupportedModule } from '@costtrace/pipeline';
import type { CallWire } from './client-middleware';
import type { AnyFunction, Operation, SdkModule } from './internal-types';
import { resolveOptions } from './options';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info';
import { wrapSend, type PatchHost } from './patch-send';
import type { BedrockInstrumentationConfig } from './types';
import { isSupportedVersion, MODULE_NAME, SUPPORTED_VERSIONS } from './version';

const OWNER = 'instrumentation-bedrock';
const SDK: SupportedModule = { name: MODULE_NAME, supportedVersions: SUPPORTED_VERSIONS, isSupported: isSupportedVersion };

const COMMANDS: ReadonlyArray<[keyof SdkModule, Operation]> = [
  ['ConverseCommand', 'converse'],
  ['ConverseStreamCommand', 'converse-stream'],
  ['InvokeModelCommand', 'invoke'],
  ['InvokeModelWithResponseStreamCommand', 'invoke-stream'],
];

/**
 * Patches `@aws-sdk/client-bedrock-runtime`'s `BedrockRuntimeClient#send`
 * (which the aggregated `BedrockRuntime` client's methods call) so that each
 * Converse, ConverseStream, InvokeModel and InvokeModelWithResponseStream call
 * gets one GenAI inference span with its usage, and passes costtrace's budget
 * gate before it is sent.
 */
export class BedrockInstrumentation extends InstrumentationBase<BedrockInstrumentationConfig> {
  // `setConfig` runs inside the base constructor, before field initializers: a
  // `declare`d field is not reset by them.
  private declare _resolved: ResolvedSharedOptions;

  constructor(config: BedrockInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  override setConfig(config: BedrockInstrumentationConfig = {}): void {
    super.setConfig(config);
    this._resolved = resolveOptions(this._config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    // `['*']` and a check of our own (patchSupportedVersion): an unsupported version
    // gets exactly one warning and a report to the budget layer instead of being skipped silently.
    return [
      new InstrumentationNodeModuleDefinition(
        MODULE_NAME,
        ['*'],
        (moduleExports: SdkModule, moduleVersion?: string) => this._patch(moduleExports, moduleVersion),
        (moduleExports: SdkModule) => this._unpatch(moduleExports),
      ),
    ];
  }

  private _patch(moduleExports: SdkModule, moduleVersion: string | undefined): SdkModule {
    patchSupportedVersion(this._diag, SDK, moduleVersion, () => {
      const proto = moduleExports?.BedrockRuntimeClient?.prototype as Record<string, unknown> | undefined;
      if (!proto || typeof proto['send'] !== 'function') throw new TypeError('BedrockRuntimeClient#send not found');
      const host = this._host(moduleExports);
      // `send` is inherited from the smithy Client. Unless the subclass has its own, the wrapper
      // calls whatever the parent's `send` is at call time, so an instrumentation that wraps the
      // smithy Client later (the official aws-sdk one) still sees Bedrock calls.
      const parent = Object.getPrototypeOf(proto) as Record<string, unknown> | null;
      const inherited = !Object.prototype.hasOwnProperty.call(proto, 'send') && parent !== null;
      wrapMethod(proto, 'send', OWNER, (original) => {
        const callThrough: AnyFunction = inherited
          ? function send(this: unknown, ...args: unknown[]) {
              return (parent['send'] as AnyFunction).apply(this, args);
            }
          : (original as AnyFunction);
        return wrapSend(host, callThrough) as never;
      });
    });
    return moduleExports;
  }

  private _unpatch(moduleExports: SdkModule): void {
    const proto = moduleExports?.BedrockRuntimeClient?.prototype as Record<string, unknown> | undefined;
    if (!proto) return;
    unwrapMethod(proto, 'send', OWNER);
    const parent = Object.getPrototypeOf(proto) as Record<string, unknown> | null;
    // The wrapper was an own property over the inherited method: remove the copy unwrapping left.
    if (parent && Object.prototype.hasOwnProperty.call(proto, 'send') && proto['send'] === parent['send']) delete proto['send'];
  }

  private _host(moduleExports: SdkModule): PatchHost {
    const byClass = new Map<unknown, Operation>();
    const byName = new Map<string, Operation>();
    for (const [name, operation] of COMMANDS) {
      if (moduleExports[name] !== undefined) byClass.set(moduleExports[name], operation);
      byName.set(name, operation);
    }
    const self = this;
    return {
      tracer: () => this.tracer,
      options: () => this._resolved,
      get diag() {
        return self._diag;
      },
      // By class, and by class name for a command of another copy of the SDK (ESM and CJS).
      operationOf: (command) => {
        const ctor = typeof command === 'object' && command !== null ? (command as { constructor?: unknown }).constructor : undefined;
        if (ctor === undefined) return undefined;
        return byClass.get(ctor) ?? (typeof ctor === 'function' ? byName.get(ctor.name) : undefined);
      },
      calls: new WeakMap<Span, CallWire>(),
      clients: new WeakSet<object>(),
      signals: new WeakMap(),
    };
  }
}
