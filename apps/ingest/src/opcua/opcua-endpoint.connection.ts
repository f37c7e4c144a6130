import {
  AttributeIds,
  ClientSubscription,
  coerceNodeId,
  DataType,
  DataValue,
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
} from 'node-opcua-client';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { Credentials, userIdentity } from '@hallwatch/opcua';
import { OpcuaEndpointDefinition } from '@hallwatch/registry';
import { bounded, connectionFailure } from './opcua-failure';

export interface OpcuaValue {
  /** index into the endpoint's mappings */
  mapping: number;
  value: unknown;
  /** the device's timestamp, else the server's, else undefined */
  ts?: number;
  /** From the status code's severity: Good, Uncertain (stored, flagged) or Bad (refused with the status). */
  quality: 'good' | 'uncertain' | 'bad';
  status: string;
  /** An Int64/UInt64 too large for a double: the stored number is the nearest one. */
  inexact?: boolean;
}

/** A mapping the server would not monitor (its status code, e.g. BadNodeIdUnknown), or whose node id does not parse. */
export interface RefusedMapping {
  mapping: number;
  status: string;
}

export interface ConnectionEvents {
  values(values: OpcuaValue[]): void;
  /** Online once subscribed; offline with why (the connection failed, was lost, or the session could not be made). */
  state(online: boolean, reason: string): void;
  /** After each subscription: the mappings the server refused (none: all monitored). */
  refused(mappings: RefusedMapping[]): void;
}

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 10_000;
/** Each step of closing a connection gets this long: a server that is gone never answers a CloseSession. */
const CLOSE_STEP_MS = 1_500;

/**
 * One OPC UA server: a session with one subscription whose monitored items deliver changes.
 * The retry loop is ours, not node-opcua's (which retries inside connect() without saying why, and
 * cannot be stopped while it does): each attempt connects once, and when it fails or the
 * connection is lost everything is closed (each step time-bounded) and the next attempt starts
 * afresh after a backoff. stop() ends the loop at once, whatever the server is doing.
 */
export class OpcuaEndpointConnection {
  private stopping = false;
  /** Ends the current attempt or wait: set while one runs. */
  private interrupt: (reason: string) => void = () => undefined;
  private loop?: Promise<void>;

  constructor(
    private readonly endpoint: OpcuaEndpointDefinition,
    private readonly certificates: OPCUACertificateManager,
    private readonly credentials: Credentials | undefined,
    private readonly events: ConnectionEvents,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Resolves within a few seconds at most, connected, connecting or waiting to retry. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.interrupt('stopping');
    await bounded(this.loop ?? Promise.resolve(), 4 * CLOSE_STEP_MS);
  }

  private async run(): Promise<void> {
    let delay = RETRY_FIRST_MS;
    while (!this.stopping) {
      const { reason, subscribed } = await this.attempt();
      if (this.stopping) return;
      this.events.state(false, reason);
      delay = subscribed ? RETRY_FIRST_MS : Math.min(delay * 2, RETRY_MAX_MS);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.interrupt = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Connects, subscribes and stays until the connection ends; resolves with why it ended. */
  private async attempt(): Promise<{ reason: string; subscribed: boolean }> {
    const client = OPCUAClient.create({
      applicationName: 'Hallwatch',
      applicationUri: 'urn:hallwatch:ingest',
      clientCertificateManager: this.certificates,
      securityMode: MessageSecurityMode[this.endpoint.securityMode],
      securityPolicy: SecurityPolicy[this.endpoint.securityPolicy],
      endpointMustExist: false,
      keepSessionAlive: true,
      // One try per attempt and no reconnection of node-opcua's own: run() retries.
      connectionStrategy: { maxRetry: 0, initialDelay: RETRY_FIRST_MS, maxDelay: RETRY_MAX_MS },
    });
    const ended = new Promise<string>((resolve) => {
      this.interrupt = resolve;
      client.once('connection_lost', () => resolve('connection lost'));
      client.once('close', (error?: Error | null) => resolve(error ? connectionFailure(error) : 'connection closed'));
    });
    let subscribed = false;
    let subscription: ClientSubscription | undefined;
    const closing: Array<() => Promise<unknown>> = [() => client.disconnect()];
    try {
      await this.interruptible(client.connect(this.endpoint.url), ended);
      const session = await this.interruptible(client.createSession(userIdentity(this.endpoint, this.credentials)), ended);
      closing.unshift(() => session.close());
      session.on('keepalive_failure', () => this.interrupt('the server stopped answering keep-alives'));
      subscription = await this.interruptible(
        session.createSubscription2({
          requestedPublishingInterval: this.endpoint.publishingIntervalMs,
          requestedLifetimeCount: 120,
          requestedMaxKeepAliveCount: 10,
          maxNotificationsPerPublish: 10_000,
          publishingEnabled: true,
          priority: 10,
        }),
        ended,
      );
      this.events.refused(await this.interruptible(this.monitor(subscription), ended));
      subscribed = true;
      this.events.state(true, 'subscribed');
      return { reason: await ended, subscribed };
    } catch (error) {
      return { reason: connectionFailure(error), subscribed };
    } finally {
      this.interrupt = () => undefined;
      for (const close of closing)
        await bounded(
          close().catch(() => undefined),
          CLOSE_STEP_MS,
        );
    }
  }

  /**
   * Monitored items, one group per sampling interval and queue size; a node id that does not parse
   * or that the server refuses (its status code) fails alone, the other mappings are monitored.
   */
  private async monitor(subscription: ClientSubscription): Promise<RefusedMapping[]> {
    const refused: RefusedMapping[] = [];
    const groups = new Map<string, { samplingInterval: number; queueSize: number; mappings: number[] }>();
    this.endpoint.mappings.forEach((mapping, index) => {
      try {
        coerceNodeId(mapping.nodeId);
      } catch {
        refused.push({ mapping: index, status: 'the node id does not parse' });
        return;
      }
      const samplingInterval = mapping.samplingIntervalMs ?? this.endpoint.samplingIntervalMs;
      const queueSize = mapping.queueSize ?? this.endpoint.queueSize;
      const key = `${samplingInterval}/${queueSize}`;
      const group = groups.get(key) ?? { samplingInterval, queueSize, mappings: [] };
      group.mappings.push(index);
      groups.set(key, group);
    });
    for (const { samplingInterval, queueSize, mappings } of groups.values()) {
      const group = await subscription.monitorItems(
        mappings.map((index) => ({ nodeId: this.endpoint.mappings[index].nodeId, attributeId: AttributeIds.Value })),
        { samplingInterval, queueSize, discardOldest: true },
        TimestampsToReturn.Both,
      );
      group.on('changed', (_item, dataValue: DataValue, index: number) => this.events.values([toValue(mappings[index], dataValue)]));
      group.monitoredItems.forEach((item, index) => {
        if (!item.statusCode.isGood()) refused.push({ mapping: mappings[index], status: item.statusCode.toString() });
      });
    }
    return refused.sort((a, b) => a.mapping - b.mapping);
  }

  /** `work`, unless the attempt ends (or stop() is called) first: then it rejects with why. */
  private interruptible<T>(work: Promise<T>, ended: Promise<string>): Promise<T> {
    return Promise.race([
      work,
      ended.then((reason) => {
        throw new Error(reason);
      }),
    ]);
  }
}

/** Never throws: a change it cannot read is a bad-quality value, refused with the reason, not an exception in node-opcua's event loop. */
export function toValue(mapping: number, dataValue: DataValue): OpcuaValue {
  try {
    const ts = dataValue.sourceTimestamp ?? dataValue.serverTimestamp ?? undefined;
    const { value, inexact } = plainValue(dataValue.value?.dataType, dataValue.value?.value as unknown);
    return {
      mapping,
      value,
      ts: ts ? ts.getTime() : undefined,
      quality: statusQuality(dataValue.statusCode.value),
      status: dataValue.statusCode.name,
      ...(inexact ? { inexact } : {}),
    };
  } catch (error) {
    return { mapping, value: undefined, quality: 'bad', status: `unreadable: ${(error as Error)?.message}` };
  }
}

/** OPC UA Part 4, 7.39: the top two bits of a status code are its severity (00 Good, 01 Uncertain, 1x Bad). */
export function statusQuality(code: number): OpcuaValue['quality'] {
  const severity = code >>> 30;
  return severity === 0 ? 'good' : severity === 1 ? 'uncertain' : 'bad';
}

/** node-opcua gives a 64-bit integer as [high, low] 32-bit words: a number, exact up to 2^53. */
function plainValue(dataType: DataType | undefined, value: unknown): { value: unknown; inexact?: boolean } {
  const signed = dataType === DataType.Int64;
  if ((!signed && dataType !== DataType.UInt64) || !isWordPair(value)) return { value };
  const words = (BigInt(value[0]) << 32n) | BigInt(value[1]);
  const exact = signed ? BigInt.asIntN(64, words) : BigInt.asUintN(64, words);
  const number = Number(exact);
  return { value: number, inexact: BigInt(number) !== exact };
}

function isWordPair(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffffffff);
}
