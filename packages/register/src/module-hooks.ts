import { createRequire } from 'node:module';
import * as nodeModule from 'node:module';
import { diag as otelDiag, type DiagLogger } from '@opentelemetry/api';

/**
 * Whether `module.registerHooks` can run import-in-the-middle's synchronous
 * loader: it exists from 22.15, but rejected the nullish CommonJS source the
 * loader returns until 22.22.3, 24.11.1, 25.1.0 and 26.0.0 (nodejs/node#59929).
 */
export function canUseSyncHooks(version = process.versions.node): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map((n) => Number.parseInt(n, 10));
  if (typeof (nodeModule as { registerHooks?: unknown }).registerHooks !== 'function') return false;
  if (major >= 26) return true;
  if (major === 25) return minor >= 1;
  if (major === 24) return minor > 11 || (minor === 11 && patch >= 1);
  if (major === 22) return minor > 22 || (minor === 22 && patch >= 3);
  return false;
}

/**
 * The only modules the ESM loader wraps. Wrapping every module breaks some
 * packages' side-effect imports (openai 4's `_shims` registry throws "you must
 * import 'openai/shims/node' first" when its ESM build is wrapped), so the
 * loader intercepts only the SDKs costtrace instruments.
 */
export const HOOKED_MODULES: readonly string[] = ['openai', '@anthropic-ai/sdk', '@aws-sdk/client-bedrock-runtime', '@mastra/core', '@mastra/core/agent'];

/**
 * Installs the ESM loader hook that lets instrumentations patch modules loaded
 * with `import`: in-thread `module.registerHooks` where it works (no
 * `module.register` deprecation warning on Node 26), else the off-thread
 * `module.register` loader, intercepting only `modules`. CommonJS needs no
 * loader: require-in-the-middle patches `require` itself. `@costtrace/register`
 * calls it; users who build their own NodeSDK call it first in a file loaded
 * with `--import`, before the SDKs are imported.
 *
 * Returns how it was installed, or undefined when it could not be.
 */
export function registerEsmLoaderHook(
  options: { modules?: readonly string[]; parentUrl?: string; diag?: DiagLogger } = {},
): 'registerHooks' | 'register' | undefined {
  const parentUrl = options.parentUrl ?? import.meta.url;
  const diag = options.diag ?? otelDiag;
  const include = [...(options.modules ?? HOOKED_MODULES)];
  const require = createRequire(parentUrl);
  try {
    if (canUseSyncHooks()) {
      const { register } = require('import-in-the-middle/register-hooks.mjs') as {
        register: (options: { include: string[] }) => void;
      };
      register({ include });
      return 'registerHooks';
    }
    const register = (
      nodeModule as { register?: (specifier: string, parentURL: string, options: { data: unknown }) => void }
    ).register;
    if (typeof register !== 'function') {
      diag.warn('costtrace: this Node.js has no module.register; ESM apps will not be instrumented (CommonJS still is)');
      return undefined;
    }
    register('import-in-the-middle/hook.mjs', parentUrl, { data: { include } });
    return 'register';
  } catch (err) {
    diag.error('costtrace: could not install the ESM loader hook; ESM apps will not be instrumented', err);
    return undefined;
  }
}
