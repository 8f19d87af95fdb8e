import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { ctxFor } from '../auth/auth.plugin.js';
import { caseScopeFor, inCaseScope } from '../cases/case.scope.js';
import { ErrorBody } from '../http/schemas.js';
import { getLiveHub, type LiveEvent } from './live.hub.js';

/** A client whose queue holds more than this many unsent events is sent `resync` instead. */
const MAX_QUEUE = 256;
/** Events of this many ms are written to a client together. */
const BATCH_MS = 50;

/** An event's SSE frame, built once however many clients it goes to. */
const frames = new WeakMap<LiveEvent, string>();
const frame = (e: LiveEvent) => {
  let text = frames.get(e);
  if (text === undefined) frames.set(e, (text = `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`));
  return text;
};

/**
 * The clients with queued text, written together once per BATCH_MS window by one timer: a timer
 * per client meant a thousand timers set and fired per window under load.
 */
const pending = new Set<() => void>();
let ticker: NodeJS.Timeout | null = null;
function flushSoon(flush: () => void): void {
  pending.add(flush);
  ticker ??= setTimeout(() => {
    ticker = null;
    const due = [...pending];
    pending.clear();
    for (const f of due) f();
  }, BATCH_MS);
}

/**
 * `GET /live`: the live feed as server-sent events, scoped to the actor like every case read.
 * Events `case.created` and `case.changed`; a heartbeat comment every `live.heartbeatSeconds`;
 * `Last-Event-ID` resumes from the in-memory buffer, or gets `resync` when it reaches back too far.
 */
export const liveRoutes: FastifyPluginAsyncTypebox<{ app: AppContext }> = async (fastify, { app }) => {
  fastify.get('/live', {
    schema: {
      operationId: 'streamLive',
      tags: ['live'],
      summary: 'Live feed of case events (text/event-stream), scoped to the actor',
      description: 'Events `case.created` and `case.changed` with `{id, number, status, light, categoryCode, grid: {code}, districtCode, streetCode, communityCode, orgPath, lon, lat, at}`; `resync` when events were dropped (reload aggregates). Heartbeat comments keep proxies open. Send `Last-Event-ID` to resume.',
      headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })) }),
      response: { 200: Type.String({ description: 'text/event-stream' }), 401: ErrorBody, 403: ErrorBody },
    },
  }, async (request, reply) => {
    const ctx = ctxFor(app, request, 'case.read');
    const scope = caseScopeFor(ctx.actor);
    const accepts = (e: LiveEvent) => inCaseScope(scope, e.audience);
    const hub = getLiveHub(app);
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    // Events go out in one write per client per BATCH_MS window: under load a case a few ms apart
    // reaches each client in one syscall instead of one each (the cost of a fan-out is its writes).
    const queue: string[] = [];
    let waiting = false;
    const flush = () => {
      if (waiting || queue.length === 0) return;
      const text = queue.join('');
      queue.length = 0;
      if (!raw.write(text)) waiting = true;
    };
    raw.on('drain', () => { waiting = false; flush(); });
    const send = (text: string) => {
      if (queue.length >= MAX_QUEUE) {
        queue.length = 0;
        queue.push(`event: resync\ndata: {"reason":"slow_client"}\n\n`);
      } else {
        queue.push(text);
      }
      flushSoon(flush);
    };
    send(`retry: 3000\n: connected ${hub.currentId}\n\n`);
    const lastId = request.headers['last-event-id'];
    if (lastId !== undefined) {
      const missed = hub.since(Number(lastId), accepts);
      if (missed === null) send(`event: resync\ndata: {"reason":"buffer"}\n\n`);
      else for (const e of missed) send(frame(e));
    }
    const unsubscribe = hub.subscribe({ accepts, deliver: (e) => send(frame(e)), resync: (reason) => send(`event: resync\ndata: ${JSON.stringify({ reason })}\n\n`) });
    const heartbeat = setInterval(() => send(`: heartbeat ${Date.now()}\n\n`), app.config.live.heartbeatSeconds * 1000);
    heartbeat.unref();
    const close = () => { clearInterval(heartbeat); pending.delete(flush); unsubscribe(); };
    request.raw.on('close', close);
    raw.on('close', close);
    raw.on('error', close);
  });
};
