import { Client } from 'pg';
import { ApiModule } from '@hallwatch/api';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';

const SITE = 'east-hall';
/** A junk field 12,000 arrays deep: 24 KB of text that overflowed the audit log's redaction. */
const DEEP_JUNK = `{"note":"x","junk":${'['.repeat(12_000)}${']'.repeat(12_000)}}`;

interface AuditRow {
  action: string;
  target: string | null;
  detail: { outcome: string; error?: string; body?: unknown };
}

describe('no change without its audit entry (#15 item 2)', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  let sql: Client;

  const send = async (method: string, path: string, body?: string) => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${env.HALLWATCH_API_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };
  const ruleIds = async () =>
    (await sql.query<{ id: string }>('select id from alert_rules where site = $1 order by id', [SITE])).rows.map((row) => row.id);
  const auditOf = async (action: string) =>
    (await sql.query<AuditRow>('select action, target, detail from audit_log where action = $1 order by id', [action])).rows;

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: databaseUrl });
    running = await startApp(ApiModule, env);
    sql = new Client({ connectionString: databaseUrl });
    await sql.connect();
    expect((await send('POST', `/api/v1/sites/${SITE}/alert-rules/starter-pack`)).status).toBeLessThan(300);
    // A rule for each test to delete: copies of the starter pack's first one.
    await sql.query(
      `insert into alert_rules (id, site, definition, updated_by)
       select id || '-' || n, site, jsonb_set(definition, '{id}', to_jsonb(id || '-' || n)), 'test'
       from (select * from alert_rules where site = $1 order by id limit 1) rule, generate_series(1, 3) n`,
      [SITE],
    );
  });

  afterAll(async () => {
    await sql?.end();
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('refuses a deep junk field with 400 before anything changes: deleting a rule, acknowledging an alert, creating an admin', async () => {
    const [rule] = await ruleIds();
    const deleted = await send('DELETE', `/api/v1/sites/${SITE}/alert-rules/${rule}`, DEEP_JUNK);
    expect(deleted).toEqual({ status: 400, body: expect.objectContaining({ type: 'urn:hallwatch:problem:too-deep', status: 400 }) });
    expect(await ruleIds()).toContain(rule);

    const alert = await sql.query<{ id: number }>(
      `insert into alerts (rule_id, site, target, state, severity, title, opened_at)
       values ('manual', $1, 'main-incomer', 'open', 'P2', 'Chiller trip', now()) returning id::int`,
      [SITE],
    );
    const alertId = alert.rows[0].id;
    expect((await send('POST', `/api/v1/alerts/${alertId}/ack`, DEEP_JUNK)).status).toBe(400);
    expect((await sql.query('select state from alerts where id = $1', [alertId])).rows[0]).toEqual({ state: 'open' });

    const admin = JSON.stringify({ name: 'intruder', password: 'a-long-password-1', role: 'admin' });
    expect((await send('POST', '/api/v1/users', `${admin.slice(0, -1)},"junk":${DEEP_JUNK}}`)).status).toBe(400);
    expect((await sql.query('select 1 from users where name = $1', ['intruder'])).rowCount).toBe(0);

    // The same requests without the junk go through, each with its entry.
    expect((await send('POST', `/api/v1/alerts/${alertId}/ack`, '{"note":"on it"}')).status).toBeLessThan(300);
    expect(await auditOf('POST /api/v1/alerts/:id/ack')).toEqual([
      {
        action: 'POST /api/v1/alerts/:id/ack',
        target: String(alertId),
        detail: expect.objectContaining({ outcome: 'ok', body: { note: 'on it' } }),
      },
    ]);
  });

  it('refuses bodies over 100 KiB with 413, and bodies of too many entries before parsing them', async () => {
    const big = JSON.stringify({ note: 'x'.repeat(150_000) });
    expect(await send('POST', '/api/v1/users', big)).toEqual({
      status: 413,
      body: expect.objectContaining({ type: 'urn:hallwatch:problem:payload-too-large', status: 413 }),
    });
    const wide = `[${'0,'.repeat(20_000)}0]`;
    expect(await send('POST', '/api/v1/users', wide)).toEqual({
      status: 413,
      body: expect.objectContaining({ type: 'urn:hallwatch:problem:payload-too-large', status: 413 }),
    });
    expect((await send('POST', '/api/v1/users', '{"name": ')).status).toBe(400);
  });

  it('refuses the change with 503 when its audit entry cannot be written, and makes it once it can', async () => {
    const [, rule] = await ruleIds();
    await sql.query(
      `create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit disk full'; end $$`,
    );
    await sql.query('create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()');
    try {
      const refused = await send('DELETE', `/api/v1/sites/${SITE}/alert-rules/${rule}`);
      expect(refused).toEqual({ status: 503, body: expect.objectContaining({ type: 'urn:hallwatch:problem:audit-unavailable', status: 503 }) });
      expect(await ruleIds()).toContain(rule);
    } finally {
      await sql.query('drop trigger refuse_audit on audit_log');
    }
    expect((await send('DELETE', `/api/v1/sites/${SITE}/alert-rules/${rule}`)).status).toBeLessThan(300);
    expect(await ruleIds()).not.toContain(rule);
    expect(await auditOf('DELETE /api/v1/sites/:site/alert-rules/:id')).toEqual([
      {
        action: 'DELETE /api/v1/sites/:site/alert-rules/:id',
        target: `${SITE}/${rule}`,
        detail: expect.objectContaining({ outcome: 'ok' }),
      },
    ]);
  });

  it('writes the entry before the change: a change whose outcome cannot be recorded stays on record as pending', async () => {
    const [, , rule] = await ruleIds();
    await sql.query(
      `create function refuse_outcome() returns trigger language plpgsql as $$ begin raise exception 'audit disk full'; end $$`,
    );
    await sql.query('create trigger refuse_outcome before update on audit_log for each row execute function refuse_outcome()');
    try {
      expect((await send('DELETE', `/api/v1/sites/${SITE}/alert-rules/${rule}`)).status).toBeLessThan(300);
    } finally {
      await sql.query('drop trigger refuse_outcome on audit_log');
    }
    expect(await ruleIds()).not.toContain(rule);
    expect((await auditOf('DELETE /api/v1/sites/:site/alert-rules/:id')).filter((entry) => entry.target === `${SITE}/${rule}`)).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ outcome: 'pending' }) }),
    ]);
  });
});
