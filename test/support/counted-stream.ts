import { MqttClient } from 'mqtt';
import { Queryable } from '@hallwatch/db';
import { eventually } from './eventually';

/**
 * A counted QoS 1 stream for fault and scale suites: reading n has value n, one every 100 ms of
 * device time. `expectStored` checks the store holds exactly what was sent: none lost, none twice.
 */
export class CountedStream {
  sent = 0;

  constructor(
    private readonly device: MqttClient,
    private readonly topic: string,
    private readonly baseTs: number,
  ) {}

  async publish(count: number): Promise<void> {
    for (let i = 0; i < count; i++, this.sent++) {
      await this.device.publishAsync(this.topic, JSON.stringify({ ts: this.baseTs + this.sent * 100, values: { kW: this.sent } }), {
        qos: 1,
      });
    }
  }

  async expectStored(db: Queryable, pointId: number, timeoutMs = 30_000): Promise<void> {
    await eventually(
      async () => {
        const rows = await db.query<{ value: number }>('select value from readings where point_id = $1 order by ts', [pointId]);
        expect(rows.map((row) => row.value)).toEqual(Array.from({ length: this.sent }, (_, i) => i));
      },
      { timeoutMs },
    );
  }
}
