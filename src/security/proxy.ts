import type { Config } from '../config.js';

/**
 * GRIDLOOP_TRUST_PROXY in the shape Fastify takes for `trustProxy`: off, or the proxies whose
 * X-Forwarded-For/-Proto/-Host are believed (then `request.ip`, `request.protocol` and
 * `request.host` describe the real client). A hop count becomes proxy-addr's own rule: trust the
 * `hops` nearest addresses of the chain.
 */
export function fastifyTrustProxy(setting: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}
