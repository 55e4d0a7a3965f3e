import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      { test: { name: 'unit', include: ['engine/**/*.test.ts'] } },
      {
        test: {
          name: 'docker',
          include: ['test/**/*.test.ts'],
          // One Docker engine, 2 cores: Docker-backed suites run one at a time.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
