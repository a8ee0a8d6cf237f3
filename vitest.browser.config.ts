import { defineConfig } from 'vitest/config';

// Real browser tests: a real server process on a fresh embedded data folder, driven by Debian's Chromium.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 360_000,
    fileParallelism: false,
  },
});
