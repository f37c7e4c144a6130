import {
  AttributeIds,
  ClientMonitoredItemGroup,
  ClientSession,
  ClientSubscription,
  DataValue,
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
} from 'node-opcua-client';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { Credentials, userIdentity } from '@hallwatch/opcua';
import { OpcuaEndpointDefinition } from '@hallwatch/registry';

export interface OpcuaValue {
  /** index into the endpoint's mappings */
  mapping: number;
  value: unknown;
  /** the device's timestamp, else the server's, else undefined */
  ts?: number;
  good: boolean;
  status: string;
}

export interface ConnectionEvents {
  values(values: OpcuaValue[]): void;
  state(online: boolean, reason: string): void;
  log(message: string): void;
}

/**
 * One OPC UA server: a session with one subscription whose monitored items (one per mapping)
 * deliver changes. node-opcua reconnects on its own and restores the session and its
 * subscription after a network loss or a server restart; this class reports the state.
 */
export class OpcuaEndpointConnection {
  private readonly client: OPCUAClient;
  private session?: ClientSession;
  private subscription?: ClientSubscription;

  constructor(
    private readonly endpoint: OpcuaEndpointDefinition,
    certificates: OPCUACertificateManager,
    private readonly credentials: Credentials | undefined,
    private readonly events: ConnectionEvents,
  ) {
    this.client = OPCUAClient.create({
      applicationName: 'Hallwatch',
      applicationUri: 'urn:hallwatch:ingest',
      clientCertificateManager: certificates,
      securityMode: MessageSecurityMode[endpoint.securityMode],
      securityPolicy: SecurityPolicy[endpoint.securityPolicy],
      endpointMustExist: false,
      keepSessionAlive: true,
      connectionStrategy: { initialDelay: 500, maxDelay: 10_000, maxRetry: Number.MAX_SAFE_INTEGER },
    });
    this.client.on('connection_lost', () => events.state(false, 'connection lost'));
    this.client.on('connection_reestablished', () => events.state(true, 'connection re-established'));
    this.client.on('backoff', (retry: number, delay: number) => events.log(`${endpoint.key}: retry ${retry + 1} in ${delay} ms`));
  }

  async start(): Promise<void> {
    // connect() keeps retrying (connectionStrategy) until the server answers for the first time.
    await this.client.connect(this.endpoint.url);
    this.session = await this.client.createSession(userIdentity(this.endpoint, this.credentials));
    this.session.on('session_restored', () => this.events.state(true, 'session restored'));
    this.subscription = await this.session.createSubscription2({
      requestedPublishingInterval: this.endpoint.publishingIntervalMs,
      requestedLifetimeCount: 120,
      requestedMaxKeepAliveCount: 10,
      maxNotificationsPerPublish: 10_000,
      publishingEnabled: true,
      priority: 10,
    });
    const group = ClientMonitoredItemGroup.create(
      this.subscription,
      this.endpoint.mappings.map((mapping) => ({ nodeId: mapping.nodeId, attributeId: AttributeIds.Value })),
      { samplingInterval: this.endpoint.samplingIntervalMs, queueSize: this.endpoint.queueSize, discardOldest: true },
      TimestampsToReturn.Both,
    );
    group.on('changed', (_item, dataValue: DataValue, index: number) => this.events.values([toValue(index, dataValue)]));
    this.events.state(true, 'subscribed');
  }

  async stop(): Promise<void> {
    await this.subscription?.terminate().catch(() => undefined);
    await this.session?.close().catch(() => undefined);
    await this.client.disconnect();
  }
}

/** Never throws: a change it cannot read is a bad-quality value, refused with the reason, not an exception in node-opcua's event loop. */
function toValue(mapping: number, dataValue: DataValue): OpcuaValue {
  try {
    const ts = dataValue.sourceTimestamp ?? dataValue.serverTimestamp ?? undefined;
    return {
      mapping,
      value: dataValue.value?.value as unknown,
      ts: ts ? ts.getTime() : undefined,
      good: dataValue.statusCode.isGood(),
      status: dataValue.statusCode.name,
    };
  } catch (error) {
    return { mapping, value: undefined, good: false, status: `unreadable: ${(error as Error)?.message}` };
  }
}
