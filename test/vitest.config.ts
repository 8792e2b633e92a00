import { defineProject } from 'vitest/config';

// Cross-package and out-of-process tests run against the built packages
// (`pnpm build` runs first), the way a user's app loads them.
export default defineProject({
  test: { name: 'e2e', include: ['**/*.test.ts'], testTimeout: 30_000 },
});
