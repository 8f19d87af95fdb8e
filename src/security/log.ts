import type { FastifyRequest } from 'fastify';

/** Query parameters that carry secrets and must never reach a log line. */
const SECRET_PARAMS = /^(api_key|apikey|key|token|access_token|password|secret)$/i;

/** The URL with the values of secret query parameters (`api_key=…`, …) replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // keep the raw name
    }
    return eq >= 0 && SECRET_PARAMS.test(decoded.trim()) ? `${name}=[redacted]` : pair;
  });
  return `${url.slice(0, q)}?${query.join('&')}`;
}

/**
 * How a request appears in the log: method, URL with secrets redacted, host and client address.
 * Headers are not logged at all, so `Authorization`, `X-Api-Key` and cookies never are.
 */
export function serializeRequest(request: FastifyRequest) {
  return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip };
}
