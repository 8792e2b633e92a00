import { diag } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { patchSupportedVersion, unwrapMethod, wrapMethod, type SupportedModule } from '@costtrace/pipeline';
import type { AnyFunction, SdkModule } from './internal-types';
import { resolveOptions, type ResolvedOptions } from './options';
import { wrapCreate, wrapStream, type PatchHost } from './patch-messages';
import type { AnthropicInstrumentationConfig } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info';
import { isSupportedVersion, MODULE_NAME, SUPPORTED_VERSIONS } from './version';

const PATCHED_METHODS = ['create', 'stream'] as const;
const OWNER = 'instrumentation-anthropic';
const SDK: SupportedModule = { name: MODULE_NAME, supportedVersions: SUPPORTED_VERSIONS, isSupported: isSupportedVersion };

/**
 * Patches `@anthropic-ai/sdk` (`messages.create`, `messages.stream`, and the
 * same on `beta.messages`) so that each model call gets one GenAI inference
 * span with its usage, and passes costtrace's budget gate before it is sent.
 */
export class AnthropicInstrumentation extends InstrumentationBase<AnthropicInstrumentationConfig> {
  // `setConfig` runs inside the base constructor, before field initializers: a
  // `declare`d field is not reset by them.
  private declare _resolved: ResolvedOptions;

  constructor(config: AnthropicInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  override setConfig(config: AnthropicInstrumentationConfig = {}): void {
    super.setConfig(config);
    this._resolved = resolveOptions(this._config, this._diag ?? diag);
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
      const host = this._host(moduleExports);
      for (const proto of messagesPrototypes(moduleExports)) {
        for (const name of PATCHED_METHODS) {
          const target = proto as Record<string, unknown>;
          if (typeof target[name] !== 'function') continue;
          // Not this._wrap: it would remove another instrumentation's wrapper, and
          // theirs would remove ours. wrapMethod coexists in either order.
          wrapMethod(target, name, OWNER, (original) =>
            (name === 'create' ? wrapCreate(host, original as AnyFunction) : wrapStream(host, original as AnyFunction)) as never,
          );
        }
      }
    });
    return moduleExports;
  }

  private _unpatch(moduleExports: SdkModule): void {
    for (const proto of messagesPrototypes(moduleExports)) {
      for (const name of PATCHED_METHODS) {
        const target = proto as Record<string, unknown>;
        unwrapMethod(target, name, OWNER);
      }
    }
  }

  private _host(moduleExports: SdkModule): PatchHost {
    const ApiPromise = typeof moduleExports.APIPromise === 'function' ? moduleExports.APIPromise : undefined;
    const self = this;
    return {
      tracer: () => this.tracer,
      options: () => this._resolved,
      get diag() {
        return self._diag;
      },
      apiPromiseClass: ApiPromise,
    };
  }
}

/** `Anthropic.Messages.prototype` and `Anthropic.Beta.Messages.prototype`, where present. */
function messagesPrototypes(moduleExports: SdkModule): object[] {
  const client = moduleExports?.Anthropic ?? moduleExports?.default;
  const protos: object[] = [];
  const messages = client?.Messages?.prototype;
  if (messages) protos.push(messages);
  const beta = client?.Beta?.Messages?.prototype;
  if (beta && beta !== messages) protos.push(beta);
  return protos;
}
