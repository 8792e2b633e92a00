import { defineProject } from 'vitest/config';
import { sourceAliases } from '../../scripts/vitest-aliases.ts';

export default defineProject({
  resolve: { alias: sourceAliases() },
  // The first stream that ends without the provider's usage loads gpt-tokenizer's ranks
  // synchronously (a few hundred ms, seconds on a loaded machine) before the read settles.
  test: { name: 'instrumentation-fetch', include: ['test/**/*.test.ts'], testTimeout: 20_000 },
});
