import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

const api = process.env.GRIDLOOP_API ?? 'http://127.0.0.1:3000';

/**
 * Vant's icon font names a CDN copy (at.alicdn.com) after its inline data: copy. We serve no
 * internet resources (and the CSP forbids them), so the CDN fallback is cut out of the CSS.
 */
const CDN_FONT = /,\s*url\((?:https?:)?\/\/at\.alicdn\.com[^)]*\)\s*format\([^)]*\)/g;
const noCdnFonts = (): Plugin => ({
  name: 'gridloop-no-cdn-fonts',
  apply: 'build',
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type === 'asset' && file.fileName.endsWith('.css') && typeof file.source === 'string') file.source = file.source.replace(CDN_FONT, '');
    }
  },
});

// One SPA; each face (desk, m, report, screen) is a lazy route chunk, so a face only downloads
// its own UI kit. Vendor kits get their own chunks so faces share them only when both use them.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue(), noCdnFonts()],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus|@vueuse|@floating-ui|async-validator|dayjs|lodash)/ },
            { name: 'vant', test: /node_modules[\\/](vant|@vant)/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': api, '/open311': api },
  },
});
