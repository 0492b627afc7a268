import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // dist/ compiled from the current sources; moto, Node 22 and the Lambda runtime interface
    // client/emulator (tests/tools/install.sh).
    globalSetup: ['tests/helpers/build-dist.ts', 'tests/setup/tools.ts'],
  },
});
