import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every response. Built for the Vue SPA that Vite builds: module
 * scripts from our own origin only (no inline scripts, no eval); inline styles are allowed because
 * Element Plus and ECharts set `style` attributes and inject <style> elements at run time; images
 * may be data:/blob: URLs (ECharts' "save as image", previews of photos before upload). Nothing may
 * frame us, no plugins, no <base> tricks, forms post only to us.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response carries, HTML, JSON, files and errors alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * Adds the security headers to every response (an onSend hook, so error answers, 404s and files
 * get them too), and Strict-Transport-Security to answers given over HTTPS (as seen through a
 * trusted proxy). A header a route has set itself wins.
 */
export function installSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    if (request.protocol === 'https' && !reply.hasHeader('strict-transport-security')) reply.header('strict-transport-security', 'max-age=15552000');
    return payload;
  });
}
