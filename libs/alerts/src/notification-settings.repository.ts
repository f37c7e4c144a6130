import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { Database } from '@hallwatch/db';
import { ALL_SITES } from '@hallwatch/domain';
import { SEVERITIES } from './rules';
import { DEFAULT_LANG, LANGS } from './text/alert-text';

export const CHANNELS = ['webhook', 'chat', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const contactSchema = z
  .object({
    name: z.string().min(1),
    channel: z.enum(CHANNELS),
    address: z.string().min(1),
    /** Webhooks only: deliveries carry an HMAC-SHA256 signature made with it. */
    secret: z.string().min(16).nullable().default(null),
    /** The sites whose alerts it may hear of: '*' for every site. */
    sites: z.union([z.literal(ALL_SITES), z.array(z.string().regex(/^[a-z0-9-]+$/, 'site keys are [a-z0-9-]+')).min(1)]).default(ALL_SITES),
    /** The language it is told in. */
    lang: z.enum(LANGS).default(DEFAULT_LANG),
  })
  .refine((c) => (c.channel === 'email' ? z.string().email().safeParse(c.address).success : /^https?:\/\//.test(c.address)), {
    message: 'an e-mail address for email, an http(s) URL for webhook and chat',
    path: ['address'],
  });
export type ContactInput = z.infer<typeof contactSchema>;
export interface Contact extends ContactInput {
  id: string;
}

const CONTACT_COLUMNS = `id, name, channel, address, secret, coalesce(sites, '{*}') as sites, lang`;

/** Whether a contact may be named by the escalation policy of `site` ('*': the default policy). */
export function contactServes(contact: Pick<Contact, 'sites'>, site: string): boolean {
  return contact.sites === ALL_SITES || (site !== ALL_SITES && contact.sites.includes(site));
}

export const escalationPolicySchema = z.object({
  levels: z
    .array(z.object({ afterSeconds: z.number().int().min(0), contacts: z.array(z.string().min(1)).min(1) }))
    .min(1)
    .refine((levels) => levels.every((level, i) => i === 0 || level.afterSeconds > levels[i - 1].afterSeconds), {
      message: 'each level comes later than the one before',
    }),
  repeatSeconds: z.number().int().min(30).nullable().default(null),
  minSeverity: z.enum(SEVERITIES).default('P4'),
});
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;

/** Contacts and who hears of which site's alerts when. */
@Injectable()
export class NotificationSettingsRepository {
  constructor(private readonly db: Database) {}

  async contacts(): Promise<Contact[]> {
    return (await this.db.query<ContactRow>(`select ${CONTACT_COLUMNS} from alert_contacts order by id`)).map(fromRow);
  }

  async contact(id: string): Promise<Contact | undefined> {
    const [row] = await this.db.query<ContactRow>(`select ${CONTACT_COLUMNS} from alert_contacts where id = $1`, [id]);
    return row && fromRow(row);
  }

  async putContact(id: string, contact: ContactInput, by: string): Promise<void> {
    await this.db.query(
      `insert into alert_contacts (id, name, channel, address, secret, sites, updated_by, lang) values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (id) do update set name = excluded.name, channel = excluded.channel, address = excluded.address,
         secret = excluded.secret, sites = excluded.sites, updated_by = excluded.updated_by, lang = excluded.lang, updated_at = now()`,
      [
        id,
        contact.name,
        contact.channel,
        contact.address,
        contact.secret,
        contact.sites === ALL_SITES ? null : contact.sites,
        by,
        contact.lang,
      ],
    );
  }

  async removeContact(id: string): Promise<boolean> {
    return (await this.db.query('delete from alert_contacts where id = $1 returning id', [id])).length > 0;
  }

  /** The site's own policy, else the default ('*'). */
  async policyFor(site: string): Promise<EscalationPolicy | undefined> {
    const [row] = await this.db.query<{
      levels: EscalationPolicy['levels'];
      repeatSeconds: number | null;
      minSeverity: EscalationPolicy['minSeverity'];
    }>(
      `select levels, repeat_seconds as "repeatSeconds", min_severity as "minSeverity" from escalation_policies
       where site = $1 or site = '*' order by (site = '*') limit 1`,
      [site],
    );
    return row;
  }

  async policies(): Promise<Array<EscalationPolicy & { site: string }>> {
    return this.db.query(
      'select site, levels, repeat_seconds as "repeatSeconds", min_severity as "minSeverity" from escalation_policies order by site',
    );
  }

  async putPolicy(site: string, policy: EscalationPolicy, by: string): Promise<void> {
    await this.db.query(
      `insert into escalation_policies (site, levels, repeat_seconds, min_severity, updated_by) values ($1, $2, $3, $4, $5)
       on conflict (site) do update set levels = excluded.levels, repeat_seconds = excluded.repeat_seconds,
         min_severity = excluded.min_severity, updated_by = excluded.updated_by, updated_at = now()`,
      [site, JSON.stringify(policy.levels), policy.repeatSeconds, policy.minSeverity, by],
    );
  }
}

type ContactRow = Omit<Contact, 'sites'> & { sites: string[] };

function fromRow(row: ContactRow): Contact {
  return { ...row, sites: row.sites.includes(ALL_SITES) ? ALL_SITES : row.sites };
}
