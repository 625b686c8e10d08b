// `npm run build`: the server and the `opencar` command compiled to one JavaScript module
// (dist/server/opencar.js); npm dependencies stay external and load from node_modules. The request
// ledger's worker thread is plain JavaScript already and is copied beside it (dist/ledger/).
import { build } from 'esbuild';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(import.meta.resolve('../'));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { 'server/opencar': 'apps/server/src/opencar.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: Object.keys(pkg.dependencies),
  // CommonJS dependencies bundled into an ES module may call require().
  banner: { js: "import { createRequire as __opencarRequire } from 'node:module'; const require = __opencarRequire(import.meta.url);" },
  logLevel: 'warning',
});
cpSync(`${root}packages/storage/src/ledger`, `${root}dist/ledger`, { recursive: true, filter: (f) => !f.endsWith('.d.mts') });
process.stdout.write('built dist/server/opencar.js\n');
