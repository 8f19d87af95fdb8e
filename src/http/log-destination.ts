import { pino } from 'pino';

/**
 * Where the server's log lines go: a file descriptor (1 = stdout) written asynchronously. A
 * synchronous write per line (pino's default) made every request pay two `write` system calls
 * on the event loop; asynchronous writes coalesce the lines that arrive while one is in flight.
 * pino flushes what is pending when the process exits.
 */
export function logDestination(fd: number): NodeJS.WritableStream {
  return pino.destination({ dest: fd, sync: false }) as unknown as NodeJS.WritableStream;
}
