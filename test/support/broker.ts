import { connect as tcpConnect } from 'node:net';

/** The local MQTT broker of the tests and CI (.ci/run starts Mosquitto). */
export const BROKER = 'mqtt://127.0.0.1:1883';

/**
 * Whether the local broker answers. Under CI=true a silent broker is an error, not a reason to
 * skip: the MQTT tests must run there.
 */
export async function localBrokerUp(): Promise<boolean> {
  const up = await new Promise<boolean>((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port: 1883 });
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
  if (!up && process.env.CI === 'true') throw new Error('the MQTT broker at 127.0.0.1:1883 does not answer (CI starts Mosquitto in .ci/run)');
  return up;
}
