import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages');

/**
 * In-process tests import `@costtrace/<name>` from source, so a unit test never
 * runs against a stale build. Out-of-process tests use the built packages.
 */
export function sourceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const name of readdirSync(packagesDir)) {
    const entry = join(packagesDir, name, 'src', 'index.ts');
    if (existsSync(entry)) aliases[`@costtrace/${name}`] = entry;
  }
  return aliases;
}
