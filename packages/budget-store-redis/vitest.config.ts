import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../scripts/vitest-aliases.ts';

export default defineProject({
  resolve: { alias: sourceAliases() },
  test: { name: 'budget-store-redis', include: ['test/**/*.test.ts'] },
});
