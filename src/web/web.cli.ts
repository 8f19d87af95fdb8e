// `npm run api:types`, `npm run build:web` and `prestart`: node --import tsx src/web/web.cli.ts <types|build> [--if-stale]
import { build } from 'vite';
import path from 'node:path';
import { generateApiTypes } from './api-types.js';
import { WEB_DIR, recordWebBuild, webBuildIsStale } from './web.build.js';

const [command, flag] = process.argv.slice(2);
if (command === 'types') {
  await generateApiTypes();
  console.log('wrote web/src/shared/api/schema.d.ts');
} else if (command === 'build') {
  if (flag === '--if-stale' && !webBuildIsStale()) {
    console.log('web/dist is up to date');
  } else {
    await generateApiTypes();
    await build({ configFile: path.join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
    recordWebBuild();
    console.log('built web/dist');
  }
} else {
  console.error('usage: web.cli.ts types | build [--if-stale]');
  process.exitCode = 2;
}
