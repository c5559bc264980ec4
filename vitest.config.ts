import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "db/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts", "components/**/*.test.tsx", "scripts/**/*.test.ts"],
    environment: "node",
    // A guard against a hung test, not a speed check (speed is npm run bench's): the property and seed tests take a
    // few seconds on two quiet cores and several times that on a busy machine
    testTimeout: 30_000,
  },
});
