import { OpcuaEndpointDefinition } from '@hallwatch/registry';

/** A mapping in trouble, as health shows it. */
export interface MappingFault {
  nodeId: string;
  point: string;
  /** The first failure's words: the server's status code, or why the value could not be stored. */
  problem: string;
  since: number;
  /** The same failure again since it was reported (not dead-lettered again). */
  repeats: number;
}

/**
 * An endpoint's failing mappings. A mapping's first failure of a kind is news (logged once, one
 * dead letter); the same kind again is counted, not reported, until the mapping delivers a value
 * or the server accepts it again: a node that fails every second is one problem, not a flood.
 */
export class MappingFaults {
  private readonly faults = new Map<number, MappingFault & { kind: string }>();

  constructor(private readonly endpoint: OpcuaEndpointDefinition) {}

  /** True when this failure is news: the mapping was not failing, or failed for another kind of reason. */
  fail(mapping: number, kind: string, problem: string, at: number): boolean {
    const known = this.faults.get(mapping);
    if (known?.kind === kind) {
      known.repeats += 1;
      return false;
    }
    const { nodeId, asset, point } = this.endpoint.mappings[mapping];
    this.faults.set(mapping, { kind, nodeId, point: `${asset}/${point}`, problem, since: at, repeats: 0 });
    return true;
  }

  /** The mapping delivered a value it could store. */
  recovered(mapping: number): void {
    this.faults.delete(mapping);
  }

  /** After a (re)subscription: refusals of mappings the server now monitors are over. */
  monitored(refused: ReadonlySet<number>): void {
    for (const [mapping, fault] of this.faults) if (fault.kind === REFUSED && !refused.has(mapping)) this.faults.delete(mapping);
  }

  list(): MappingFault[] {
    return [...this.faults.values()].map(({ kind: _kind, ...fault }) => fault);
  }
}

/** The kind of a mapping the server would not monitor. */
export const REFUSED = 'refused';
