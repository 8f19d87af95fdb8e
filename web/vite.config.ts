import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const api = process.env.GRIDLOOP_API ?? 'http://127.0.0.1:3000';

// One SPA; each face (desk, m, report, screen) is a lazy route chunk, so a face only downloads
// its own UI kit. Vendor kits get their own chunks so faces share them only when both use them.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue()],
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
