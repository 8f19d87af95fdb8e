// Fires HTTP load with autocannon from a child process, so the load generator does not share the
// server's event loop (autocannon answers raw histograms inside a worker thread, hence a process).
// The parent sends { url, method, headers, bodies?, paths?, connections, duration } and gets the summary.
import autocannon from 'autocannon';

const { url, method, headers, bodies, paths, connections, duration } = await new Promise((resolve) => process.once('message', resolve));
let i = 0;
const options = {
  url,
  method,
  headers,
  connections,
  duration,
  requests: [{
    setupRequest(req) {
      const n = i++;
      const out = { ...req };
      if (bodies?.length) out.body = bodies[n % bodies.length];
      if (paths?.length) out.path = paths[n % paths.length];
      return out;
    },
  }],
};
const result = await new Promise((resolve, reject) => {
  autocannon(options, (err, res) => (err ? reject(err) : resolve(res)));
});
process.send({
  requests: result.requests.average,
  total: result.requests.total,
  p50: result.latency.p50,
  p99: result.latency.p99,
  errors: result.errors + result.timeouts + result.non2xx,
  non2xx: result.non2xx,
  statusCodes: result.statusCodeStats,
}, () => process.exit(0));
