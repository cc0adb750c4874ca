import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // OCR models and worker pools are heavy; two cores do not gain from many test workers.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
