import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../scripts/vitest-aliases.ts';

export default defineProject({
  resolve: { alias: sourceAliases() },
  test: { name: 'instrumentation-bedrock', include: ['test/**/*.test.ts'] },
});
