import mqtt, { type IPublishPacket, type MqttClient, type Packet } from 'mqtt';
import type { AppContext } from '../context.js';
import { parseMqttMessage, TOPIC_FILTER } from './reading.parse.js';
import { ingestBatch, readingLimits, type Incoming } from './reading.service.js';

export interface MqttIntake {
  client: MqttClient;
  /** Resolves once subscribed (the broker then delivers what it held for the session). */
  ready: Promise<void>;
  /** Messages acknowledged to the broker (stored, duplicate or dead-lettered). */
  acked(): number;
  stop(): Promise<void>;
}

/** The most messages committed together; the broker's in-flight window usually bounds a batch first. */
const MAX_BATCH = 200;
/** How long the first message of a batch waits for company before the batch is committed. */
const GATHER_MS = 5;

type SendPacket = (packet: Packet, cb?: (err?: Error) => void, cbStorePut?: () => void, noStore?: boolean) => void;

/**
 * Subscribes to `gridloop/devices/+/readings` (QoS 1) on the broker with a persistent session
 * (MQTT 5: clean start off, a session that never expires, a stable client id), so that the broker
 * keeps what arrives while Gridloop is down. Receive Maximum 1000: PUBACKs wait for the commit, so
 * a batch can only hold what the broker sends unacknowledged (an MQTT 3.1.1 client gets
 * Mosquitto's default of 20).
 *
 * Group commit: messages are gathered into batches, each batch is stored in one transaction
 * (reading.service.ts ingestBatch), and only then are their PUBACKs sent. mqtt.js sends a PUBACK as
 * soon as `handleMessage` calls back and handles one message at a time, so the intake lets it go on
 * and holds the PUBACK packets back itself (its `_sendPacket`, mqtt.js 5) until the commit. Held
 * acknowledgements of a connection that has since dropped are discarded, never sent on a new one:
 * the broker redelivers those messages and the store ignores what it already has. When the store
 * fails, nothing is acknowledged and the connection is dropped, so the broker redelivers.
 */
export function connectMqttIntake(app: AppContext, opts: { url: string; clientId: string; log?: (msg: string) => void }): MqttIntake {
  const log = opts.log ?? ((msg: string) => console.warn(msg));
  let acked = 0;
  let connection = 0;
  let pending: { incoming: Incoming; messageId?: number; qos: number }[] = [];
  const heldAcks = new Map<number, { packet: Packet; connection: number }>();
  let flushing = false;
  let timer: NodeJS.Timeout | null = null;
  const client = mqtt.connect(opts.url, { clientId: opts.clientId, clean: false, protocolVersion: 5, properties: { receiveMaximum: 1000, sessionExpiryInterval: 0xffffffff }, reconnectPeriod: 1000, connectTimeout: 10_000, resubscribe: true });
  const internal = client as unknown as { _sendPacket: SendPacket };
  const send = internal._sendPacket.bind(client);
  internal._sendPacket = (packet, cb, cbStorePut, noStore) => {
    if (packet.cmd !== 'puback' || packet.messageId === undefined) return send(packet, cb, cbStorePut, noStore);
    heldAcks.set(packet.messageId, { packet, connection });
    cb?.();
  };
  client.on('connect', () => {
    connection++;
    heldAcks.clear();
  });

  const flush = async (): Promise<void> => {
    timer = null;
    if (flushing || pending.length === 0) return;
    flushing = true;
    const batch = pending.slice(0, MAX_BATCH);
    pending = pending.slice(batch.length);
    const at = connection;
    try {
      await ingestBatch(app, batch.map((b) => b.incoming));
      for (const b of batch) {
        if (b.qos === 0 || b.messageId === undefined) continue;
        const held = heldAcks.get(b.messageId);
        heldAcks.delete(b.messageId);
        if (held && held.connection === at && connection === at && client.connected) {
          send(held.packet);
          acked++;
        }
      }
    } catch (err) {
      log(`mqtt intake: could not store ${batch.length} messages (${err instanceof Error ? err.message : String(err)}); reconnecting, the broker will redeliver them`);
      pending = [];
      heldAcks.clear();
      client.stream?.destroy();
    } finally {
      flushing = false;
      if (pending.length) timer = setTimeout(() => void flush(), 0);
    }
  };

  client.handleMessage = (packet: IPublishPacket, callback: (err?: Error) => void) => {
    const now = app.clock();
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const parsed = parseMqttMessage(packet.topic, payload, now, readingLimits(app, now));
    pending.push({ incoming: { source: 'mqtt', parsed, topic: packet.topic, payload: Buffer.from(payload.subarray(0, 4096)).toString('utf8'), orgPath: '/' }, messageId: packet.messageId, qos: packet.qos });
    if (pending.length >= MAX_BATCH) void flush();
    else if (!timer && !flushing) timer = setTimeout(() => void flush(), GATHER_MS);
    callback();
  };

  const ready = new Promise<void>((resolve, reject) => {
    client.once('connect', () => client.subscribe(TOPIC_FILTER, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
    client.once('error', (err) => reject(err));
  });
  client.on('error', (err) => log(`mqtt intake: ${err.message}`));
  return {
    client,
    ready,
    acked: () => acked,
    async stop() {
      while (flushing || pending.length) await new Promise((r) => setTimeout(r, 10));
      await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
    },
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
