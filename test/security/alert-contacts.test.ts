import { ApiModule } from '@hallwatch/api';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';

const SITE_A = 'north-hall';
const SITE_B = 'south-hall';
const CHAT_URL = 'https://hooks.example.com/services/T0NORTH/B0NORTH/north-chat-secret-7731';
const WEBHOOK_URL = 'https://bms.example.org/hooks/south?key=south-webhook-key-5120';
const SIGNING_SECRET = 'south-signing-secret-0000';

type ContactView = { id: string; name: string; channel: string; address: string; signed: boolean; sites: '*' | string[]; lang: string };

/** Issue #15, item 9: any viewer read every site's contacts, with the full chat and webhook URLs. */
describe('alert contacts: secrets are write-only, contacts are site-scoped', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  let everySiteViewer: string;
  let northViewer: string;

  const call = async (method: string, path: string, bearer: string, body?: unknown) => {
    const response = await fetch(`${running.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, body: (text ? JSON.parse(text) : null) as unknown };
  };
  const admin = () => env.HALLWATCH_API_TOKEN;
  const tokenFor = async (sites: '*' | string[]) =>
    ((await call('POST', '/tokens', admin(), { name: `viewer of ${String(sites)}`, role: 'viewer', sites })).body as { token: string }).token;

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite(SITE_A), testSite(SITE_B)], { DATABASE_URL: databaseUrl });
    running = await startApp(ApiModule, env);
    const contacts = {
      'north-chat': { name: 'North hall chat', channel: 'chat', address: CHAT_URL, sites: [SITE_A] },
      'south-bms': { name: 'South hall BMS', channel: 'webhook', address: WEBHOOK_URL, secret: SIGNING_SECRET, sites: [SITE_B] },
      duty: { name: 'Duty officer', channel: 'email', address: 'duty@cityhall.example' },
    };
    for (const [id, contact] of Object.entries(contacts)) expect((await call('PUT', `/alert-contacts/${id}`, admin(), contact)).status).toBe(200);
    everySiteViewer = await tokenFor('*');
    northViewer = await tokenFor([SITE_A]);
  });

  afterAll(async () => {
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('never shows a chat or webhook URL or a signing secret, to any role', async () => {
    for (const bearer of [everySiteViewer, admin()]) {
      const listed = await call('GET', '/alert-contacts', bearer);
      expect(listed.status).toBe(200);
      for (const secret of [CHAT_URL, WEBHOOK_URL, 'north-chat-secret', 'south-webhook-key', SIGNING_SECRET]) expect(listed.text).not.toContain(secret);
      expect(listed.body).toEqual([
        { id: 'duty', name: 'Duty officer', channel: 'email', address: 'duty@cityhall.example', signed: false, sites: '*', lang: 'zh-TW' },
        { id: 'north-chat', name: 'North hall chat', channel: 'chat', address: 'https://hooks.example.com/…7731', signed: false, sites: [SITE_A], lang: 'zh-TW' },
        { id: 'south-bms', name: 'South hall BMS', channel: 'webhook', address: 'https://bms.example.org/…5120', signed: true, sites: [SITE_B], lang: 'zh-TW' },
      ]);
    }
    const saved = await call('PUT', '/alert-contacts/north-chat', admin(), { name: 'North hall chat', channel: 'chat', address: CHAT_URL, sites: [SITE_A] });
    expect(saved.text).not.toContain(CHAT_URL);
  });

  it("shows a site-scoped caller only the contacts of its sites", async () => {
    const listed = (await call('GET', '/alert-contacts', northViewer)).body as ContactView[];
    expect(listed.map((contact) => contact.id)).toEqual(['duty', 'north-chat']);
  });

  it('lets only admins edit contacts, and a site policy name only contacts of that site', async () => {
    const change = { name: 'Hijacked', channel: 'chat', address: 'https://evil.example.com/x', sites: [SITE_A] };
    expect((await call('PUT', '/alert-contacts/north-chat', everySiteViewer, change)).status).toBe(403);
    expect((await call('DELETE', '/alert-contacts/north-chat', northViewer)).status).toBe(403);
    const policy = (contacts: string[]) => ({ levels: [{ afterSeconds: 0, contacts }] });
    const refused = await call('PUT', `/escalation-policies/${SITE_B}`, admin(), policy(['north-chat']));
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`do not serve site ${SITE_B}: north-chat`);
    expect((await call('PUT', `/escalation-policies/${SITE_B}`, admin(), policy(['south-bms', 'duty']))).status).toBe(200);
    expect((await call('PUT', '/escalation-policies/*', admin(), policy(['south-bms']))).status).toBe(400);
  });
});
