import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Processes under test run the compiled entry points: build them first. Everything the tests
    // write to the temporary directory goes into one of the run's own, removed when it ends.
    globalSetup: ['tests/support/build.ts', 'tests/support/temporary-directory.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
