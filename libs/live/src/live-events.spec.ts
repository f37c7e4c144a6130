import { liveReadingMessage } from './live-events';

const reading = { site: 'hall', asset: 'chiller-1', point: 'chwsT', ts: Date.UTC(2026, 11, 1, 2, 15), value: 7.1 };

describe('liveReadingMessage', () => {
  it('sends the time as ISO 8601 and no quality for a good value', () => {
    const message = liveReadingMessage(reading);
    expect(message).toEqual({ site: 'hall', asset: 'chiller-1', point: 'chwsT', ts: '2026-12-01T02:15:00.000Z', value: 7.1 });
    expect(JSON.stringify(message)).not.toContain('quality');
  });

  it('marks an uncertain value', () => {
    expect(liveReadingMessage({ ...reading, quality: 'uncertain' })).toEqual({
      site: 'hall',
      asset: 'chiller-1',
      point: 'chwsT',
      ts: '2026-12-01T02:15:00.000Z',
      value: 7.1,
      quality: 'uncertain',
    });
  });
});
