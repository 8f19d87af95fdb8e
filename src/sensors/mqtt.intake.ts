import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { AppContext } from '../context.js';
import { parseMqttMessage, TOPIC_FILTER } from './reading.parse.js';
import { ingestParsed, readingLimits } from './reading.service.js';

export interface MqttIntake {
  client: MqttClient;
  /** Resolves once subscribed (the broker then delivers what it held for the session). */
  ready: Promise<void>;
  /** Messages acknowledged to the broker (stored, duplicate or dead-lettered). */
  acked(): number;
  stop(): Promise<void>;
}

function payloadText(payload: Uint8Array): string {
  return Buffer.from(payload.subarray(0, 4096)).toString('utf8');
}

/**
 * Subscribes to `gridloop/devices/+/readings` (QoS 1) on the broker with a persistent session
 * (clean: false, a stable client id), so that the broker keeps what arrives while Gridloop is down.
 * Each message is handled one at a time and acknowledged (PUBACK) only after it is committed:
 * stored, recognised as a duplicate, or kept as a dead letter. When the store fails, the message is
 * not acknowledged and the connection is dropped: the broker redelivers it on reconnection.
 */
export function connectMqttIntake(app: AppContext, opts: { url: string; clientId: string; log?: (msg: string) => void }): MqttIntake {
  const log = opts.log ?? ((msg: string) => console.warn(msg));
  let acked = 0;
  const client = mqtt.connect(opts.url, { clientId: opts.clientId, clean: false, protocolVersion: 4, reconnectPeriod: 1000, connectTimeout: 10_000, resubscribe: true });
  // Installed before the connection opens: a persistent session's held messages come first.
  client.handleMessage = (packet: IPublishPacket, callback: (err?: Error) => void) => {
    const now = app.clock();
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const parsed = parseMqttMessage(packet.topic, payload, now, readingLimits(app, now));
    ingestParsed(app, 'mqtt', parsed, { topic: packet.topic, payload: payloadText(payload) }, '/', now).then(
      () => {
        acked++;
        callback();
      },
      (err: unknown) => {
        log(`mqtt intake: could not store a message on ${packet.topic} (${err instanceof Error ? err.message : String(err)}); reconnecting, the broker will redeliver it`);
        client.stream?.destroy();
      },
    );
  };
  const ready = new Promise<void>((resolve, reject) => {
    const onConnect = () => {
      client.subscribe(TOPIC_FILTER, { qos: 1 }, (err) => (err ? reject(err) : resolve()));
    };
    client.once('connect', onConnect);
    client.once('error', (err) => reject(err));
  });
  client.on('connect', () => void client.subscribe(TOPIC_FILTER, { qos: 1 }));
  client.on('error', (err) => log(`mqtt intake: ${err.message}`));
  return {
    client,
    ready,
    acked: () => acked,
    stop: () => new Promise<void>((resolve) => client.end(false, {}, () => resolve())),
  };
}

/** Start hook of `serve`: the MQTT intake when GRIDLOOP_MQTT_URL is set. */
export async function startMqttIntake(app: AppContext): Promise<(() => Promise<void>) | void> {
  const url = app.config.sensors.mqttUrl;
  if (!url) return;
  const intake = connectMqttIntake(app, { url, clientId: app.config.sensors.mqttClientId });
  intake.ready.then(() => console.log(`mqtt intake: subscribed to ${TOPIC_FILTER} on ${new URL(url).host} as ${app.config.sensors.mqttClientId}`), () => undefined);
  return () => intake.stop();
}
