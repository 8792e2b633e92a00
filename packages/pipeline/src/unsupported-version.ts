import type { DiagLogger } from '@opentelemetry/api';
import { reportUnpatchedModule } from './call-gate';

/** The module an instrumentation patches, and the versions it supports. */
export interface SupportedModule {
  /** The module's name, as the module hook gives it (`@anthropic-ai/sdk`). */
  readonly name: string;
  /** The supported range as the README writes it (`>=0.40.0 <2`). */
  readonly supportedVersions: string;
  /** Whether a version is in the range; an unreadable one is not (a budget must not be silently off). */
  isSupported(version: string | undefined): boolean;
}

/**
 * Runs `patch` on a module of a supported version. An instrumentation hooks
 * its module for every version (`['*']`) and checks here, so a version outside
 * the range gets exactly one warning and a report to the budget layer instead
 * of being skipped silently; a patch that throws gets one error and the same
 * report. Returns whether the module was patched.
 */
export function patchSupportedVersion(diag: DiagLogger, module: SupportedModule, version: string | undefined, patch: () => void): boolean {
  if (!module.isSupported(version)) {
    const reason = `version ${version ?? 'unknown'} is outside the supported range ${module.supportedVersions}`;
    diag.warn(`${module.name} left unpatched: ${reason}; its calls are neither traced nor budgeted`);
    reportUnpatchedModule({ module: module.name, version, reason });
    return false;
  }
  try {
    patch();
    return true;
  } catch (err) {
    diag.error(`could not patch ${module.name}; its calls are not traced`, err);
    reportUnpatchedModule({ module: module.name, version, reason: 'patching failed' });
    return false;
  }
}
