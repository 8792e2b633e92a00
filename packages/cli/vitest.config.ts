import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../scripts/vitest-aliases.ts';

export default defineProject({
  resolve: { alias: sourceAliases() },
  test: { name: 'cli', include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
