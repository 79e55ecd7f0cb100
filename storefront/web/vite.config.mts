import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The storefront's build: Preact through Vite's own JSX transform (tsconfig's jsxImportSource),
 * the API's types from the protos (@funshop/proto/web/…, made by scripts/codegen.sh), output
 * beside the server that serves it (storefront/dist/web).
 */
export default defineConfig({
  root: here('.'),
  build: { outDir: here('../dist/web'), emptyOutDir: true, target: 'es2022', sourcemap: true },
  logLevel: 'warn',
});
