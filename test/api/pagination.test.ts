import { randomUUID } from 'node:crypto';
import { ApiModule } from '@hallwatch/api';
import { PgDatabase } from '@hallwatch/db';
import { DeadLetterRepository, ReadingRepository } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';

/**
 * #18 item 5: cursor pagination on every list. Each list is walked page by page with random page
 * sizes while rows are inserted between pages; the rows walked must be exactly the rows generated,
 * in the list's order, each once, as a plain sort of what the test inserted says (not the SQL under
 * test). A row inserted during the walk comes once if it sorts after where the walk stood, never
 * otherwise. Times are drawn from a few values so that ties are common: the id must break them.
 */
const SITE = 'paging-hall';
const OTHER_SITE = 'other-hall';
const BASE = Date.parse('2026-11-01T00:00:00Z');
const SEVERITIES = ['P1', 'P2', 'P3', 'P4'];
const STATES = ['open', 'acknowledged', 'resolved'];

/** Deterministic random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

/** A row of a list as the test knows it: its id, and the fields its order is made of. */
type Model = { id: string } & Record<string, string | number>;

interface ListCase {
  name: string;
  /** The list's path and query, without `limit` and `cursor`. */
  path: string;
  /** Inserts `count` generated rows and returns them as the test models them. */
  insert: (count: number, pick: (below: number) => number) => Promise<Model[]>;
  /** A row of the answer as modelled. */
  model: (row: Record<string, unknown>) => Model;
  /** The list's order, written out plainly. */
  order: (a: Model, b: Model) => number;
  /** Where the answer keeps its rows and the next cursor. */
  page: (body: unknown, link: string | null) => { rows: Array<Record<string, unknown>>; next: string | null };
  maxLimit: number;
}

const byNumber = (a: string | number, b: string | number) => Number(a) - Number(b);
const byText = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
const STATE_RANK: Record<string, number> = { open: 0, acknowledged: 1, resolved: 2 };

/** The cursor of a Link header's rel="next" target (RFC 8288), as any client reads it. */
function linkCursor(link: string | null): string | null {
  const target = link && /<([^>]*)>\s*;\s*rel="next"/.exec(link)?.[1];
  return target ? new URL(target, 'http://x').searchParams.get('cursor') : null;
}
const arrayPage = (body: unknown, link: string | null) => ({ rows: body as Array<Record<string, unknown>>, next: linkCursor(link) });

describe('cursor pagination on every list (#18 item 5)', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  let db: PgDatabase;
  let readings: ReadingRepository;
  let pointId: number;
  let ruleCounter = 0;

  const get = async (path: string) => {
    const response = await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      link: response.headers.get('link'),
      body: (text ? JSON.parse(text) : null) as unknown,
    };
  };
  const instant = (pick: (below: number) => number) => new Date(BASE + pick(6) * 60_000);

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite(SITE), testSite(OTHER_SITE)], { DATABASE_URL: databaseUrl });
    running = await startApp(ApiModule, env);
    db = new PgDatabase(databaseUrl, 2);
    readings = new ReadingRepository(db, db);
    pointId = (await new RegistryRepository(db).findPointAddress(SITE, 'main-incomer', 'kW'))!.pointId;
    for (const site of [SITE, OTHER_SITE])
      for (const task of ['filters', 'belts', 'valves'])
        await db.query(
          `insert into maintenance_tasks (id, site, asset, name, recurrence, anchor, updated_by) values ($1, $2, 'chiller-1', $3, 'weekly', '2026-11-01', 'test')`,
          [`${site}-${task}`, site, task],
        );
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    await db?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  const insertAlerts = async (site: string, count: number, pick: (below: number) => number): Promise<Model[]> => {
    const rows = Array.from({ length: count }, () => ({
      rule: `rule-${++ruleCounter}`,
      state: STATES[pick(3)],
      severity: SEVERITIES[pick(4)],
      openedAt: instant(pick),
    }));
    const inserted = await db.query<{ id: string }>(
      `insert into alerts (rule_id, site, target, state, severity, title, opened_at)
       select rule, $1, 'chiller-1', state, severity, 'generated', opened_at
       from unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) with ordinality as r(rule, state, severity, opened_at, n) order by n
       returning id::text`,
      [site, rows.map((row) => row.rule), rows.map((row) => row.state), rows.map((row) => row.severity), rows.map((row) => row.openedAt)],
    );
    return rows.map((row, index) => ({
      id: inserted[index].id,
      rank: STATE_RANK[row.state],
      severity: row.severity,
      openedAt: row.openedAt.toISOString(),
    }));
  };

  const lists: ListCase[] = [
    {
      name: 'alerts',
      path: `/api/v1/alerts?site=${SITE}`,
      maxLimit: 1000,
      insert: async (count, pick) => {
        // Another site's alerts sit in between: a list of one site never shows them.
        await insertAlerts(OTHER_SITE, 2, pick);
        return insertAlerts(SITE, count, pick);
      },
      model: (row) => ({
        id: String(row.id),
        rank: STATE_RANK[row.state as string],
        severity: row.severity as string,
        openedAt: row.openedAt as string,
      }),
      // Open, acknowledged, resolved; P1 first; newest first; the larger id first.
      order: (a, b) => byNumber(a.rank, b.rank) || byText(a.severity, b.severity) || byText(b.openedAt, a.openedAt) || byNumber(b.id, a.id),
      page: arrayPage,
    },
    {
      name: 'audit',
      path: '/api/v1/audit?actor=pager',
      maxLimit: 5000,
      insert: async (count, pick) => {
        const times = Array.from({ length: count }, () => instant(pick));
        const inserted = await db.query<{ id: string }>(
          `insert into audit_log (at, actor, action) select at, 'pager', 'test.page' from unnest($1::timestamptz[]) with ordinality as r(at, n) order by n returning id::text`,
          [times],
        );
        return times.map((at, index) => ({ id: inserted[index].id, at: at.toISOString() }));
      },
      model: (row) => ({ id: String(row.id), at: row.at as string }),
      order: (a, b) => byText(b.at, a.at) || byNumber(b.id, a.id),
      page: arrayPage,
    },
    {
      name: 'notifications',
      path: '/api/v1/notifications?state=failed',
      maxLimit: 1000,
      insert: async (count, pick) => {
        const [alert] = await insertAlerts(SITE, 1, pick);
        const rows = Array.from({ length: count }, () => ({ id: randomUUID(), createdAt: instant(pick) }));
        await db.query(
          `insert into notifications (id, alert_id, contact_id, channel, reason, level, state, created_at)
           select id, $1, 'crew', 'email', 'opened', 0, 'failed', created_at from unnest($2::uuid[], $3::timestamptz[]) as r(id, created_at)`,
          [alert.id, rows.map((row) => row.id), rows.map((row) => row.createdAt)],
        );
        return rows.map((row) => ({ id: row.id, createdAt: row.createdAt.toISOString() }));
      },
      model: (row) => ({ id: row.id as string, createdAt: row.createdAt as string }),
      // Newest first; ties by the UUID, larger first, as PostgreSQL orders UUIDs (by their bytes: the hex text).
      order: (a, b) => byText(b.createdAt, a.createdAt) || byText(b.id, a.id),
      page: arrayPage,
    },
    {
      name: 'work items',
      path: `/api/v1/maintenance/work-items?site=${SITE}`,
      maxLimit: 1000,
      insert: async (count, pick) => {
        const rows: Array<{ taskId: string; dueOn: string }> = [];
        const used = new Set<string>();
        while (rows.length < count) {
          const taskId = `${[SITE, OTHER_SITE][pick(2)]}-${['filters', 'belts', 'valves'][pick(3)]}`;
          const dueOn = new Date(BASE + pick(400) * 86_400_000).toISOString().slice(0, 10);
          if (used.has(`${taskId}/${dueOn}`)) continue;
          used.add(`${taskId}/${dueOn}`);
          rows.push({ taskId, dueOn });
        }
        const inserted = await db.query<{ id: string; task_id: string; due_on: string }>(
          `insert into maintenance_work_items (task_id, due_on) select * from unnest($1::text[], $2::date[])
           on conflict (task_id, due_on) do nothing returning id::text, task_id, to_char(due_on, 'YYYY-MM-DD') as due_on`,
          [rows.map((row) => row.taskId), rows.map((row) => row.dueOn)],
        );
        return inserted.filter((row) => row.task_id.startsWith(`${SITE}-`)).map((row) => ({ id: row.id, dueOn: row.due_on }));
      },
      model: (row) => ({ id: String(row.id), dueOn: row.dueOn as string }),
      order: (a, b) => byText(a.dueOn, b.dueOn) || byNumber(a.id, b.id),
      page: arrayPage,
    },
    {
      name: 'dead letters',
      path: '/api/v1/ingest/dead-letters?reason=bad-shape',
      maxLimit: 1000,
      insert: async (count, pick) => {
        const letters = Array.from({ length: count }, () => ({
          source: 'test:paging',
          topic: `paging/${randomUUID()}`,
          payload: '{}',
          reason: 'bad-shape' as const,
          receivedAt: instant(pick).getTime(),
        }));
        await running.app.get(DeadLetterRepository).insertMany(letters);
        const stored = await db.query<{ id: string; topic: string }>(
          'select id::text, topic from dead_letters where topic = any($1::text[])',
          [letters.map((letter) => letter.topic)],
        );
        const idOf = new Map(stored.map((row) => [row.topic, row.id]));
        return letters.map((letter) => ({ id: idOf.get(letter.topic)!, receivedAt: new Date(letter.receivedAt).toISOString() }));
      },
      model: (row) => ({ id: row.id as string, receivedAt: row.receivedAt as string }),
      order: (a, b) => byText(b.receivedAt, a.receivedAt) || byNumber(b.id, a.id),
      page: (body) => {
        const answer = body as { items: Array<Record<string, unknown>>; next: string | null };
        return { rows: answer.items, next: answer.next };
      },
    },
    {
      name: 'readings beyond the cap',
      path: `/api/v1/sites/${SITE}/assets/main-incomer/points/kW/readings?bucket=raw&from=${new Date(BASE).toISOString()}&to=${new Date(BASE + 86_400_000).toISOString()}`,
      maxLimit: 100_000,
      insert: async (count, pick) => {
        const times = [...new Set(Array.from({ length: count }, () => BASE + pick(86_400) * 1000))];
        const stored = await readings.insertBatch(times.map((ts) => ({ pointId, ts, value: pick(1000), flags: 0 })));
        return stored.map((reading) => ({ id: new Date(reading.ts).toISOString(), ts: new Date(reading.ts).toISOString() }));
      },
      model: (row) => ({ id: row.ts as string, ts: row.ts as string }),
      order: (a, b) => byText(a.ts, b.ts),
      page: (body) => {
        const answer = body as { readings: Array<Record<string, unknown>>; next: string | null };
        return { rows: answer.readings, next: answer.next };
      },
    },
  ];

  it.each(lists.map((list, index) => [list.name, list, index] as const))(
    '%s: every row exactly once, in order, over random pages with rows inserted between them',
    async (_name, list, index) => {
      const pick = random(1801 + index);
      // Every row generated before the walk must come; of those inserted during it, the ones ahead of it.
      const expected = await list.insert(60, pick);

      const walked: Model[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const limit = 1 + pick(9);
        const answer = await get(`${list.path}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(answer.status).toBe(200);
        const { rows, next } = list.page(answer.body, answer.link);
        expect(rows.length).toBeLessThanOrEqual(limit);
        // A short page is the last one.
        if (rows.length < limit) expect(next).toBeNull();
        walked.push(...rows.map(list.model));
        cursor = next;
        pages++;
        if (cursor !== null && pick(2) === 0) {
          const position = walked.at(-1)!;
          for (const row of await list.insert(1 + pick(3), pick)) {
            const side = list.order(row, position);
            expect(side).not.toBe(0);
            if (side > 0) expected.push(row);
          }
        }
      } while (cursor !== null && pages < 1000);

      expect(pages).toBeGreaterThan(5);
      expect(walked.map((row) => row.id)).toEqual([...expected].sort(list.order).map((row) => row.id));
      expect(walked).toEqual([...expected].sort(list.order));
    },
    120_000,
  );

  it("gives a caller scoped to one site only that site's alerts, notifications and work items, page after page", async () => {
    const [otherAlert] = await insertAlerts(OTHER_SITE, 1, random(7));
    await db.query(
      `insert into notifications (id, alert_id, contact_id, channel, reason, level, state) values ($1, $2, 'crew', 'email', 'opened', 0, 'failed')`,
      [randomUUID(), otherAlert.id],
    );
    const created = await fetch(`${running.baseUrl}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'other-hall-crew', role: 'engineer', sites: [OTHER_SITE] }),
    });
    const { token } = (await created.json()) as { token: string };
    const walk = async (path: string) => {
      const rows: Array<Record<string, unknown>> = [];
      for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
        const response = await fetch(`${running.baseUrl}${path}?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.status).toBe(200);
        rows.push(...((await response.json()) as Array<Record<string, unknown>>));
        cursor = linkCursor(response.headers.get('link'));
      }
      return rows;
    };
    const count = async (sql: string) => Number((await db.query<{ n: string }>(sql, [OTHER_SITE]))[0].n);

    const alerts = await walk('/api/v1/alerts');
    expect(new Set(alerts.map((alert) => alert.site))).toEqual(new Set([OTHER_SITE]));
    expect(alerts).toHaveLength(await count('select count(*) as n from alerts where site = $1'));
    const items = await walk('/api/v1/maintenance/work-items');
    expect(new Set(items.map((item) => item.site))).toEqual(new Set([OTHER_SITE]));
    expect(items).toHaveLength(
      await count('select count(*) as n from maintenance_work_items w join maintenance_tasks t on t.id = w.task_id where t.site = $1'),
    );
    const notifications = await walk('/api/v1/notifications');
    expect(notifications.map((notification) => String(notification.alertId))).toEqual([otherAlert.id]);
  });

  const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const query = (cursor: string) => encodeURIComponent(cursor);
  /** Cursors as they go in the query string (percent-encoded). */
  const HOSTILE_CURSORS: Array<[string, string]> = [
    ['garbage', query('not a cursor at all!')],
    ['huge', query('A'.repeat(5_000))],
    ['NUL', query('abc\u0000def')],
    ['unicode', query('游標🙂')],
    ['an unpaired surrogate as UTF-8', 'WyJ%ED%A0%80'],
    ['bytes in base64url', query(Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString('base64url'))],
    ['JSON of no key', encoded({ after: 1 })],
    ['a key of another list', encoded(['dead-letters', '1', '2'])],
    ['a key out of range', encoded(['audit', '9'.repeat(40), '1'])],
    ['a key with a NUL', encoded(['work-items', '2026-11-01\u0000', '1'])],
    ['a number where text goes', encoded(['readings', 1796083200000])],
  ];

  it.each(lists.flatMap((list) => HOSTILE_CURSORS.map(([what, cursor]) => [list.name, what, list, cursor] as const)))(
    '%s: a hostile cursor (%s) is a 400 problem',
    async (_name, _what, list, cursor) => {
      const answer = await get(`${list.path}&cursor=${cursor}`);
      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({ status: 400 });
    },
  );

  it.each(lists.map((list) => [list.name, list] as const))('%s: a limit above the maximum is a 400 problem', async (_name, list) => {
    expect((await get(`${list.path}&limit=${list.maxLimit + 1}`)).status).toBe(400);
    expect((await get(`${list.path}&limit=0`)).status).toBe(400);
  });
});
