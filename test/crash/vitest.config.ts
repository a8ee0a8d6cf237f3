// The crash tests spawn and kill real server processes: minutes, not seconds, so they run on their
// own: npx vitest run --config test/crash/vitest.config.ts (with DATABASE_URL for PostgreSQL).
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: path.resolve(import.meta.dirname, '../..'),
  test: {
    include: ['test/crash/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
  },
});
