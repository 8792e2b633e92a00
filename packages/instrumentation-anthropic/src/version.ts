/** The `@anthropic-ai/sdk` versions this package patches, as written in the README. */
export const SUPPORTED_VERSIONS = '>=0.40.0 <2';

export const MODULE_NAME = '@anthropic-ai/sdk';

/**
 * Whether `version` is in {@link SUPPORTED_VERSIONS}. A prerelease counts as its
 * release; an unreadable version is unsupported (a budget must not be silently off).
 */
export function isSupportedVersion(version: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return (major === 0 && minor >= 40) || major === 1;
}
