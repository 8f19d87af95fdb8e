import http from 'node:http';

/** One SSE connection: the parsed events received so far, and a way to wait for one. */
export interface SseClient {
  status: number;
  /** Parsed events, with `receivedAt` (performance.now()) when their bytes arrived. */
  events: { id?: string; event: string; data: Record<string, unknown>; receivedAt: number }[];
  comments: string[];
  waitFor(pred: (e: SseClient['events'][number]) => boolean, ms?: number): Promise<SseClient['events'][number]>;
  close(): void;
}

export function connectLive(base: string, cookie: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/v1/live`, { headers: { cookie, ...headers } }, (res) => {
      const client: SseClient = {
        status: res.statusCode ?? 0,
        events: [],
        comments: [],
        waitFor(pred, ms = 5000) {
          return new Promise((ok, fail) => {
            const found = client.events.find(pred);
            if (found) return ok(found);
            const timer = setTimeout(() => { res.off('data', check); fail(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(client.events)}`)); }, ms);
            const check = () => {
              const hit = client.events.find(pred);
              if (hit) { clearTimeout(timer); res.off('data', check); ok(hit); }
            };
            res.on('data', check);
          });
        },
        close: () => req.destroy(),
      };
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
            else {
              const c = line.indexOf(':');
              if (c > 0) fields[line.slice(0, c)] = line.slice(c + 1).trimStart();
            }
          }
          if (fields.data !== undefined) client.events.push({ id: fields.id, event: fields.event ?? 'message', data: JSON.parse(fields.data), receivedAt: performance.now() });
        }
      });
      resolve(client);
    });
    req.on('error', reject);
  });
}
