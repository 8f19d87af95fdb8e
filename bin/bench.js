#!/usr/bin/env node
// `npm run bench -- <name>` runs bench/<name>.ts.
import { register } from 'tsx/esm/api';
import { existsSync } from 'node:fs';

register();
const name = process.argv[2];
const file = new URL(`../bench/${name}.ts`, import.meta.url);
if (!name || !existsSync(file)) {
  console.error(`usage: npm run bench -- <name>   (a file bench/<name>.ts)`);
  process.exit(2);
}
await import(file.href);
