export const SPARKPLUG_NAMESPACE = 'spBv1.0';
export const MESSAGE_TYPES = ['NBIRTH', 'NDEATH', 'DBIRTH', 'DDEATH', 'NDATA', 'DDATA', 'NCMD', 'DCMD', 'STATE'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface SparkplugTopic {
  group: string;
  type: MessageType;
  node: string;
  device?: string;
}

/** `spBv1.0/{group}/{type}/{node}[/{device}]`; undefined for anything else. */
export function parseSparkplugTopic(topic: string): SparkplugTopic | undefined {
  const [namespace, group, type, node, device, ...rest] = topic.split('/');
  if (namespace !== SPARKPLUG_NAMESPACE || !group || !node || rest.length > 0) return undefined;
  if (!(MESSAGE_TYPES as readonly string[]).includes(type)) return undefined;
  const needsDevice = type.startsWith('D');
  if (needsDevice !== (device !== undefined && device !== '')) return undefined;
  return { group, type: type as MessageType, node, device: needsDevice ? device : undefined };
}

/** Sparkplug ids may hold characters our keys do not: lower-case, anything else becomes '-'. */
export function toKey(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
}

/** Metric names are paths (`Meter/kW`): '/' becomes '.', other foreign characters '_'. */
export function toPointKey(metricName: string): string {
  return metricName.replace(/\//g, '.').replace(/[^A-Za-z0-9_.-]/g, '_');
}
