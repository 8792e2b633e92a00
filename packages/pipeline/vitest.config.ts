import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../scripts/vitest-aliases.ts';

export default defineProject({
  resolve: { alias: sourceAliases() },
  test: { name: 'pipeline', include: ['test/**/*.test.ts'] },
});
