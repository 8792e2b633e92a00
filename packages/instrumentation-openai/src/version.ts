export const PACKAGE_NAME = '@costtrace/instrumentation-openai';
export const PACKAGE_VERSION = '0.1.0';

/** The `openai` majors this package patches: `>=4.0.0 <8`. */
export const SUPPORTED_RANGE = '>=4.0.0 <8';

/** True when `version` is inside {@link SUPPORTED_RANGE}; prereleases of 8 are outside. */
export function isSupportedVersion(version: string): boolean {
  const major = /^v?(\d+)\./.exec(version.trim());
  if (!major?.[1]) return false;
  const n = Number(major[1]);
  return n >= 4 && n < 8;
}
