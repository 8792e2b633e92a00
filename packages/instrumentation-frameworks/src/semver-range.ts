/**
 * `[major, minor]` of a package version, or undefined when unreadable. A
 * prerelease counts as its release.
 */
export function majorMinor(version: string | undefined): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}
