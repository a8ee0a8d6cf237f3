import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/crash/**', 'node_modules/**'],
    // Time is an input: the legal clock starts at a fixed instant, so the suite's fixed 2026 dates
    // (steps dated up to this day, deadlines after it) hold on any real calendar day.
    env: { SANXIANG_CLOCK: '2026-11-25T10:00:00+08:00' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite instances are heavy (WASM); a few files at a time keeps memory in check on 2 cores.
    maxWorkers: 2,
  },
});
