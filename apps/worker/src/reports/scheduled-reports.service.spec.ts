import { RegistryRepository } from '@hallwatch/registry';
import { ReportRunsRepository, ReportSchedule, SavingsRequest } from '@hallwatch/savings';
import { MailService } from '../mail/mail.service';
import { ReportGeneration } from './report-generation.service';
import { ScheduledReports } from './scheduled-reports.service';

const schedule = (id: number, site: string): ReportSchedule => ({
  id,
  params: { site, utility: 'electricity', method: 'same-period', alignment: 'same-dates', confidence: 0.68, format: 'pdf', lang: 'en' },
  cadence: 'monthly',
  recipients: [],
  createdBy: 'officer',
  // 5 March 2025 in both halls
  createdAt: '2025-03-05T03:00:00.000Z',
  enabled: true,
});

/** Two monthly schedules, a hall in New York and one in Taipei; which periods get a report. */
function scheduled() {
  const created: Array<{ site: string; from: string; to: string }> = [];
  const runs = {
    schedules: async () => [schedule(1, 'ny-hall'), schedule(2, 'taipei-hall')],
    scheduledRun: async () => undefined,
    create: async (_id: string, params: SavingsRequest) => created.push({ site: params.site, from: params.from, to: params.to }),
    find: async () => undefined,
  } as unknown as ReportRunsRepository;
  const generation = { generate: async () => ({ fileName: 'x', bytes: 1 }) } as unknown as ReportGeneration;
  const zones: Record<string, string> = { 'ny-hall': 'America/New_York', 'taipei-hall': 'Asia/Taipei' };
  const registry = { findSite: async (key: string) => ({ key, timezone: zones[key] }) } as unknown as RegistryRepository;
  return { service: new ScheduledReports(runs, generation, {} as MailService, registry), created };
}

describe("ScheduledReports on each site's calendar", () => {
  it('makes a month its report once it has ended on the site clock', async () => {
    // 20:00 UTC on 31 March 2025: 16:00 on the 31st in New York, 04:00 on 1 April in Taipei.
    const { service, created } = scheduled();
    await service.runDue(undefined, Date.parse('2025-03-31T20:00:00Z'));
    // New York's newest ended month is February, which ended before its schedule began: nothing yet.
    expect(created).toEqual([{ site: 'taipei-hall', from: '2025-03-01', to: '2025-04-01' }]);
  });

  it('makes New York its March once March has ended in New York', async () => {
    const { service, created } = scheduled();
    await service.runDue(undefined, Date.parse('2025-04-01T04:30:00Z')); // 00:30 EDT on 1 April
    expect(created).toEqual([
      { site: 'ny-hall', from: '2025-03-01', to: '2025-04-01' },
      { site: 'taipei-hall', from: '2025-03-01', to: '2025-04-01' },
    ]);
  });
});
