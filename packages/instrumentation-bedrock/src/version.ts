/**
 * The `@aws-sdk/client-bedrock-runtime` versions this package patches, as written
 * in the README: from the Converse API's first release (3.583) through 3.x.
 */
export const SUPPORTED_VERSIONS = '>=3.583.0 <4';

export const MODULE_NAME = '@aws-sdk/client-bedrock-runtime';

/** Whether `version` is in {@link SUPPORTED_VERSIONS}; an unreadable version is unsupported. */
export function isSupportedVersion(version: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return false;
  return Number(match[1]) === 3 && Number(match[2]) >= 583;
}
