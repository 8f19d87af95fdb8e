// Holds many SSE connections from a child process, so parsing them does not share the server's
// event loop. Messages from the parent:
//   { cmd: 'connect', url, headers, clients, keyField, parse? } → replies { connected: n, failed: n };
//                        parse: false reads and drops the bytes (no parsing cost on this machine's cores)
//   { cmd: 'report' }  → replies { received: { [key]: number[] } }: for each event key (the field
//                        `keyField` of its JSON data), the epoch ms (sub-ms) at which each client got it
//   { cmd: 'close' }                           → closes every connection, replies { closed: n }
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
let requests = [];
let received = new Map();
let keyField = 'key';
const now = () => performance.timeOrigin + performance.now();

function open(url, headers, parse) {
  return new Promise((resolve) => {
    const req = http.get(url, { headers, agent }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return resolve(false);
      }
      if (!parse) {
        res.resume();
        return resolve(true);
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const line = block.split('\n').find((l) => l.startsWith('data:'));
          if (!line) continue;
          const at = now();
          let key;
          try {
            key = JSON.parse(line.slice(5))[keyField];
          } catch {
            continue;
          }
          if (key === undefined) continue;
          let times = received.get(key);
          if (!times) received.set(key, (times = []));
          times.push(at);
        }
      });
      resolve(true);
    });
    req.on('error', () => resolve(false));
    requests.push(req);
  });
}

process.on('message', async (m) => {
  if (m.cmd === 'connect') {
    keyField = m.keyField ?? 'key';
    let connected = 0;
    for (let i = 0; i < m.clients; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, m.clients - i) }, () => open(m.url, m.headers, m.parse !== false)));
      connected += batch.filter(Boolean).length;
    }
    process.send({ connected, failed: m.clients - connected });
  } else if (m.cmd === 'report') {
    process.send({ received: Object.fromEntries(received) });
    received = new Map();
  } else if (m.cmd === 'close') {
    const n = requests.length;
    for (const r of requests) r.destroy();
    requests = [];
    process.send({ closed: n });
  } else if (m.cmd === 'exit') {
    process.exit(0);
  }
});
