#!/usr/bin/env node
// The `opencar` command: the compiled build when `npm run build` made one, the TypeScript sources
// through tsx's loader otherwise (a checkout without a build). Same process either way, so signals
// reach the server directly.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const built = new URL('../dist/server/opencar.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../apps/server/src/opencar.ts', import.meta.url).href);
}
