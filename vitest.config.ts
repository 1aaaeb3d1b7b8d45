import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Processes under test run the compiled entry points: build them first.
    globalSetup: ['tests/support/build.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
