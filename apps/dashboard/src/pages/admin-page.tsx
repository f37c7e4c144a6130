import { useState } from 'preact/hooks';
import { ROLE_NAMES, type Channel, type CreatedToken, type Role, type StoredRuleView } from '../api/api-types';
import type { AssetInfo } from '../api/api-types';
import type { ApiBody } from '../api/api-paths';
import { POINT_KINDS as KNOWN_POINT_KINDS } from '@hallwatch/domain';
import { useI18n, useSession } from '../app/contexts';
import { useLoad } from '../app/hooks';
import { routeHref } from '../app/route';
import { parseSites, sitesText, useAction, type Action } from '../app/use-action';
import { LoadState } from '../components/load-state';

export const ADMIN_TABS = ['users', 'tokens', 'rules', 'contacts', 'registry'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];
const CHANNELS: readonly Channel[] = ['email', 'webhook', 'chat'];
const POINT_KINDS = ['gauge', 'cumulative', 'status', 'setpoint'] as const;

/** Users, tokens, alert rules, contacts and the registry: every change through the API, and audited there. */
export function AdminPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const tab: AdminTab = (ADMIN_TABS as readonly string[]).includes(params.tab) ? (params.tab as AdminTab) : 'users';
  return (
    <>
      <h1 class="page-title">{t('admin.title')}</h1>
      <nav class="segmented admin-tabs" aria-label={t('admin.sections')}>
        {ADMIN_TABS.map((name) => (
          <a
            key={name}
            class="segment"
            href={routeHref('admin', { tab: name })}
            aria-current={tab === name ? 'true' : undefined}
            data-testid={`admin-tab-${name}`}
          >
            {t(`admin.tab.${name}`)}
          </a>
        ))}
      </nav>
      {tab === 'users' && <UsersSection />}
      {tab === 'tokens' && <TokensSection />}
      {tab === 'rules' && <RulesSection />}
      {tab === 'contacts' && <ContactsSection />}
      {tab === 'registry' && <RegistrySection />}
    </>
  );
}

function Problem({ action }: { action: Action }) {
  return action.problem ? (
    <p class="notice notice-error" role="alert" data-testid="admin-problem">
      {action.problem}
    </p>
  ) : null;
}

function RoleSelect({ value, onChange, testId, label }: { value: Role; onChange: (role: Role) => void; testId: string; label?: string }) {
  const { t } = useI18n();
  return (
    <select value={value} onChange={(event) => onChange(event.currentTarget.value as Role)} aria-label={label} data-testid={testId}>
      {ROLE_NAMES.map((role) => (
        <option key={role} value={role}>
          {t(`role.${role}`)}
        </option>
      ))}
    </select>
  );
}

function UsersSection() {
  const { api, unauthorised } = useSession();
  const { t, f } = useI18n();
  const users = useLoad((signal) => api.users(signal), [api], unauthorised);
  const action = useAction();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [sites, setSites] = useState('*');

  const create = async () => {
    if (await action.run(() => api.createUser({ name, password, role, sites: role === 'admin' ? '*' : parseSites(sites) }))) {
      setName('');
      setPassword('');
      users.reload();
    }
  };

  return (
    <section class="panel" aria-labelledby="users-title">
      <h2 id="users-title" class="panel-title">
        {t('admin.users.title')}
      </h2>
      <form
        class="admin-form"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <label>
          {t('admin.users.name')}
          <input value={name} onInput={(event) => setName(event.currentTarget.value)} required data-testid="user-name" />
        </label>
        <label>
          {t('admin.users.password')}
          <input
            type="password"
            autoComplete="new-password"
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
            required
            data-testid="user-password"
          />
        </label>
        <label>
          {t('admin.role')}
          <RoleSelect value={role} onChange={setRole} testId="user-role" />
        </label>
        <label>
          {t('admin.sites')}
          <input value={sites} onInput={(event) => setSites(event.currentTarget.value)} data-testid="user-sites" />
        </label>
        <button type="submit" class="button button-primary" disabled={action.busy} data-testid="user-create">
          {t('admin.users.create')}
        </button>
      </form>
      <Problem action={action} />
      <LoadState loading={users.loading && !users.data} error={users.error} onRetry={users.reload} />
      {users.data && (
        <div class="table-scroll">
          <table class="data-table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.users.name')}</th>
                <th scope="col">{t('admin.role')}</th>
                <th scope="col">{t('admin.sites')}</th>
                <th scope="col">{t('admin.state')}</th>
                <th scope="col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <tr key={user.name} data-testid={`user-${user.name}`}>
                  <th scope="row">{user.name}</th>
                  <td>
                    <RoleSelect
                      value={user.role}
                      testId={`user-role-${user.name}`}
                      label={t('admin.users.roleOf', { name: user.name })}
                      onChange={(next) =>
                        void action
                          .run(() => api.updateUser(user.name, { role: next, ...(next === 'admin' ? { sites: '*' } : {}) }))
                          .then(users.reload)
                      }
                    />
                  </td>
                  <td>
                    <SitesEditor
                      value={user.sites}
                      testId={`user-sites-${user.name}`}
                      onSave={(next) => void action.run(() => api.updateUser(user.name, { sites: next })).then(users.reload)}
                    />
                  </td>
                  <td>
                    {user.disabledAt
                      ? t('admin.users.disabledSince', { time: f.dateTime(Date.parse(user.disabledAt)) })
                      : t('admin.users.active')}
                  </td>
                  <td>
                    {user.disabledAt ? (
                      <button
                        type="button"
                        class="button"
                        onClick={() => void action.run(() => api.updateUser(user.name, { enabled: true })).then(users.reload)}
                        data-testid={`user-enable-${user.name}`}
                      >
                        {t('admin.users.enable')}
                      </button>
                    ) : (
                      <button
                        type="button"
                        class="button"
                        onClick={() => void action.run(() => api.disableUser(user.name)).then(users.reload)}
                        data-testid={`user-disable-${user.name}`}
                      >
                        {t('admin.users.disable')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function SitesEditor({ value, onSave, testId }: { value: '*' | string[]; onSave: (sites: '*' | string[]) => void; testId: string }) {
  const { t } = useI18n();
  const [text, setText] = useState(sitesText(value));
  return (
    <form
      class="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        onSave(parseSites(text));
      }}
    >
      <input value={text} onInput={(event) => setText(event.currentTarget.value)} aria-label={t('admin.sites')} data-testid={testId} />
      <button type="submit" class="button" data-testid={`${testId}-save`}>
        {t('admin.save')}
      </button>
    </form>
  );
}

function TokensSection() {
  const { api, unauthorised } = useSession();
  const { t, f } = useI18n();
  const tokens = useLoad((signal) => api.tokens(signal), [api], unauthorised);
  const action = useAction();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [sites, setSites] = useState('*');
  const [created, setCreated] = useState<CreatedToken | null>(null);

  const create = async () => {
    await action.run(async () => {
      setCreated(await api.createToken({ name, role, sites: role === 'admin' ? '*' : parseSites(sites) }));
      setName('');
      tokens.reload();
    });
  };

  return (
    <section class="panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title" class="panel-title">
        {t('admin.tokens.title')}
      </h2>
      <form
        class="admin-form"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <label>
          {t('admin.tokens.name')}
          <input value={name} onInput={(event) => setName(event.currentTarget.value)} required data-testid="token-name" />
        </label>
        <label>
          {t('admin.role')}
          <RoleSelect value={role} onChange={setRole} testId="token-role" />
        </label>
        <label>
          {t('admin.sites')}
          <input value={sites} onInput={(event) => setSites(event.currentTarget.value)} data-testid="token-sites" />
        </label>
        <button type="submit" class="button button-primary" disabled={action.busy} data-testid="token-create">
          {t('admin.tokens.create')}
        </button>
      </form>
      <Problem action={action} />
      {created && (
        <div class="notice token-once" aria-live="polite" data-testid="token-created">
          <p>{t('admin.tokens.once', { name: created.name })}</p>
          <code class="token-value" data-testid="token-value">
            {created.token}
          </code>
          <button type="button" class="button" onClick={() => setCreated(null)} data-testid="token-dismiss">
            {t('admin.tokens.dismiss')}
          </button>
        </div>
      )}
      <LoadState loading={tokens.loading && !tokens.data} error={tokens.error} onRetry={tokens.reload} />
      {tokens.data && (
        <div class="table-scroll">
          <table class="data-table" data-testid="tokens-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.tokens.name')}</th>
                <th scope="col">{t('admin.tokens.kind')}</th>
                <th scope="col">{t('admin.role')}</th>
                <th scope="col">{t('admin.sites')}</th>
                <th scope="col">{t('admin.tokens.created')}</th>
                <th scope="col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((token) => (
                <tr key={token.id} data-testid={`token-${token.id}`}>
                  <th scope="row">{token.user ? `${token.name} (${token.user})` : token.name}</th>
                  <td>{token.kind === 'api' ? t('admin.tokens.kindApi') : t('admin.tokens.kindSession')}</td>
                  <td>{t(`role.${token.role}`)}</td>
                  <td>{sitesText(token.sites)}</td>
                  <td>
                    {f.dateTime(Date.parse(token.createdAt))}
                    {token.createdBy ? ` · ${token.createdBy}` : ''}
                  </td>
                  <td>
                    <button
                      type="button"
                      class="button"
                      onClick={() => void action.run(() => api.revokeToken(token.id)).then(tokens.reload)}
                      data-testid={`token-revoke-${token.id}`}
                    >
                      {t('admin.tokens.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RulesSection() {
  const { api, site, unauthorised } = useSession();
  const { t } = useI18n();
  const rules = useLoad((signal) => api.alertRules(site.key, signal), [api, site.key], unauthorised);
  const action = useAction();
  const [added, setAdded] = useState<number | null>(null);

  return (
    <section class="panel" aria-labelledby="rules-title">
      <h2 id="rules-title" class="panel-title">
        {t('admin.rules.title', { site: site.name })}
      </h2>
      <p>
        <button
          type="button"
          class="button button-primary"
          disabled={action.busy}
          data-testid="starter-pack"
          onClick={() =>
            void action.run(async () => {
              setAdded((await api.starterPack(site.key)).added);
              rules.reload();
            })
          }
        >
          {t('admin.rules.starterPack')}
        </button>
      </p>
      {added !== null && (
        <p class="notice" data-testid="starter-pack-added">
          {t('admin.rules.added', { count: added })}
        </p>
      )}
      <Problem action={action} />
      <LoadState loading={rules.loading && !rules.data} error={rules.error} onRetry={rules.reload} />
      {rules.data?.length === 0 && <p class="muted">{t('admin.rules.none')}</p>}
      {rules.data && rules.data.length > 0 && (
        <div class="table-scroll">
          <table class="data-table" data-testid="rules-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.rules.enabled')}</th>
                <th scope="col">{t('admin.rules.name')}</th>
                <th scope="col">{t('admin.rules.severity')}</th>
                <th scope="col">{t('admin.rules.threshold')}</th>
                <th scope="col">{t('admin.rules.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {rules.data.map((stored) => (
                <RuleRow key={stored.rule.id} stored={stored} action={action} onSaved={rules.reload} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type RuleBody = ApiBody<'/api/v1/sites/{site}/alert-rules/{id}', 'put'>;

/** The stored definition without what the path names. */
type AssetBody = ApiBody<'/api/v1/sites/{site}/assets/{asset}', 'put'>;
type PointBody = NonNullable<AssetBody['points']>[number];

/** A point as the asset's PUT body takes it back: the answer's kind is a plain string and its attributes any JSON. */
function pointBody({ key, name, kind, unit, tags, attributes, expression }: AssetInfo['points'][number]): PointBody {
  const knownKind = KNOWN_POINT_KINDS.find((known) => known === kind);
  if (!knownKind) throw new Error(`point ${key} has an unknown kind ${kind}`);
  return {
    key,
    ...(name ? { name } : {}),
    kind: knownKind,
    unit,
    tags,
    attributes: plainAttributes(attributes),
    ...(expression ? { expression } : {}),
  };
}

/** The attributes the registry takes: strings, numbers and booleans. */
function plainAttributes(attributes: Record<string, unknown>): NonNullable<AssetBody['attributes']> {
  const plain: NonNullable<AssetBody['attributes']> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') plain[name] = value;
  }
  return plain;
}

function ruleBody(stored: StoredRuleView, condition: unknown = stored.rule.condition): RuleBody {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { id, site, ...definition } = stored.rule;
  return { ...definition, condition };
}

/**
 * A threshold condition's bound and limit, or null for any other condition. The document leaves a
 * condition open (conditions nest), so its fields are checked here rather than assumed.
 */
function thresholdOf(condition: unknown): { bound: 'above' | 'below'; limit: unknown } | null {
  if (typeof condition !== 'object' || condition === null) return null;
  const fields = condition as Record<string, unknown>;
  if (fields.type !== 'threshold') return null;
  const bound = fields.above !== undefined ? 'above' : 'below';
  return { bound, limit: fields[bound] };
}

function conditionType(condition: unknown): string {
  return typeof condition === 'object' && condition !== null ? String((condition as Record<string, unknown>).type) : '';
}

function RuleRow({ stored, action, onSaved }: { stored: StoredRuleView; action: Action; onSaved: () => void }) {
  const { api, site } = useSession();
  const { t, f, locale } = useI18n();
  const { rule } = stored;
  // Starter-pack rules carry their name in both languages (`names`); others have the one they were written with.
  const name = rule.names?.[locale] ?? rule.name;
  const threshold = thresholdOf(rule.condition);
  const bound = threshold?.bound ?? null;
  const current = threshold?.limit;
  const [limit, setLimit] = useState(typeof current === 'number' ? String(current) : '');
  const save = (enabled: boolean, condition = rule.condition) =>
    void action.run(() => api.putAlertRule(site.key, rule.id, ruleBody(stored, condition), enabled)).then((ok) => ok && onSaved());

  return (
    <tr data-testid={`rule-${rule.id}`}>
      <td>
        <input
          type="checkbox"
          checked={stored.enabled}
          aria-label={t('admin.rules.enableRule', { name })}
          onChange={(event) => save(event.currentTarget.checked)}
          data-testid={`rule-enabled-${rule.id}`}
        />
      </td>
      <th scope="row">{name}</th>
      <td>{rule.severity}</td>
      <td>
        {bound ? (
          <form
            class="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              const value = Number(limit);
              if (limit.trim() !== '' && Number.isFinite(value)) save(stored.enabled, { ...(rule.condition as object), [bound]: value });
            }}
          >
            <span>{t(bound === 'above' ? 'admin.rules.above' : 'admin.rules.below')}</span>
            <input
              type="number"
              step="any"
              value={limit}
              onInput={(event) => setLimit(event.currentTarget.value)}
              aria-label={t('admin.rules.threshold')}
              data-testid={`rule-limit-${rule.id}`}
            />
            <button type="submit" class="button" data-testid={`rule-save-${rule.id}`}>
              {t('admin.save')}
            </button>
          </form>
        ) : (
          <span class="muted">{t('admin.rules.condition', { type: conditionType(rule.condition) })}</span>
        )}
      </td>
      <td>
        {stored.updatedBy} · {f.dateTime(Date.parse(stored.updatedAt))}
      </td>
    </tr>
  );
}

function ContactsSection() {
  const { api, unauthorised } = useSession();
  const { t } = useI18n();
  const contacts = useLoad((signal) => api.contacts(signal), [api], unauthorised);
  const action = useAction();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<Channel>('email');
  const [address, setAddress] = useState('');
  const [sites, setSites] = useState('*');

  const save = async () => {
    if (await action.run(() => api.putContact(id, { name, channel, address, sites: parseSites(sites) }))) {
      setId('');
      setName('');
      setAddress('');
      contacts.reload();
    }
  };

  return (
    <section class="panel" aria-labelledby="contacts-title">
      <h2 id="contacts-title" class="panel-title">
        {t('admin.contacts.title')}
      </h2>
      <form
        class="admin-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <label>
          {t('admin.contacts.id')}
          <input value={id} onInput={(event) => setId(event.currentTarget.value)} required data-testid="contact-id" />
        </label>
        <label>
          {t('admin.contacts.name')}
          <input value={name} onInput={(event) => setName(event.currentTarget.value)} required data-testid="contact-name" />
        </label>
        <label>
          {t('admin.contacts.channel')}
          <select value={channel} onChange={(event) => setChannel(event.currentTarget.value as Channel)} data-testid="contact-channel">
            {CHANNELS.map((option) => (
              <option key={option} value={option}>
                {t(`channel.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.contacts.address')}
          <input value={address} onInput={(event) => setAddress(event.currentTarget.value)} required data-testid="contact-address" />
        </label>
        <label>
          {t('admin.sites')}
          <input value={sites} onInput={(event) => setSites(event.currentTarget.value)} data-testid="contact-sites" />
        </label>
        <button type="submit" class="button button-primary" disabled={action.busy} data-testid="contact-save">
          {t('admin.save')}
        </button>
      </form>
      <Problem action={action} />
      <LoadState loading={contacts.loading && !contacts.data} error={contacts.error} onRetry={contacts.reload} />
      {contacts.data?.length === 0 && <p class="muted">{t('admin.contacts.none')}</p>}
      {contacts.data && contacts.data.length > 0 && (
        <div class="table-scroll">
          <table class="data-table" data-testid="contacts-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.contacts.name')}</th>
                <th scope="col">{t('admin.contacts.channel')}</th>
                <th scope="col">{t('admin.contacts.address')}</th>
                <th scope="col">{t('admin.sites')}</th>
                <th scope="col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {contacts.data.map((contact) => (
                <tr key={contact.id} data-testid={`contact-${contact.id}`}>
                  <th scope="row">
                    {contact.name} <span class="muted">({contact.id})</span>
                  </th>
                  <td>{t(`channel.${contact.channel}`)}</td>
                  <td>{contact.address}</td>
                  <td>{sitesText(contact.sites)}</td>
                  <td>
                    <button
                      type="button"
                      class="button"
                      onClick={() => void action.run(() => api.removeContact(contact.id)).then(contacts.reload)}
                      data-testid={`contact-remove-${contact.id}`}
                    >
                      {t('admin.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RegistrySection() {
  const { api, site, unauthorised } = useSession();
  const { t } = useI18n();
  const sites = useLoad((signal) => api.sites(signal), [api], unauthorised);
  // Edits show at once here; the session's own copy of the site follows on the next load.
  const detail = useLoad((signal) => api.site(site.key, signal), [api, site.key], unauthorised);
  const action = useAction();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [timezone, setTimezone] = useState('Asia/Taipei');

  return (
    <>
      <section class="panel" aria-labelledby="sites-title">
        <h2 id="sites-title" class="panel-title">
          {t('admin.registry.sites')}
        </h2>
        {sites.data && (
          <ul class="plain-list" data-testid="sites-list">
            {sites.data.map((candidate) => (
              <li key={candidate.key}>
                <strong>{candidate.name}</strong>{' '}
                <span class="muted">
                  ({candidate.key}, {candidate.timezone})
                </span>
              </li>
            ))}
          </ul>
        )}
        <form
          class="admin-form"
          onSubmit={(event) => {
            event.preventDefault();
            void action
              .run(() => api.putSite(key, { name, timezone, assets: [] }))
              .then((ok) => {
                if (ok) {
                  setKey('');
                  setName('');
                  sites.reload();
                }
              });
          }}
        >
          <label>
            {t('admin.registry.siteKey')}
            <input value={key} onInput={(event) => setKey(event.currentTarget.value)} required data-testid="site-key" />
          </label>
          <label>
            {t('admin.registry.siteName')}
            <input value={name} onInput={(event) => setName(event.currentTarget.value)} required data-testid="site-new-name" />
          </label>
          <label>
            {t('admin.registry.timezone')}
            <input value={timezone} onInput={(event) => setTimezone(event.currentTarget.value)} required data-testid="site-timezone" />
          </label>
          <button type="submit" class="button button-primary" disabled={action.busy} data-testid="site-create">
            {t('admin.registry.addSite')}
          </button>
        </form>
      </section>
      <Problem action={action} />
      <LoadState loading={detail.loading && !detail.data} error={detail.error} onRetry={detail.reload} />
      {detail.data && (
        <section class="panel" aria-labelledby="assets-title">
          <h2 id="assets-title" class="panel-title">
            {t('admin.registry.assets', { site: detail.data.name })}
          </h2>
          <div class="asset-list" data-testid="assets-list">
            {detail.data.assets.map((asset) => (
              <AssetEditor key={asset.key} asset={asset} action={action} onSaved={detail.reload} />
            ))}
          </div>
        </section>
      )}
    </>
  );
}

function AssetEditor({ asset, action, onSaved }: { asset: AssetInfo; action: Action; onSaved: () => void }) {
  const { api, site } = useSession();
  const { t } = useI18n();
  const [name, setName] = useState(asset.name);
  const [pointKey, setPointKey] = useState('');
  const [kind, setKind] = useState<(typeof POINT_KINDS)[number]>('gauge');
  const [unit, setUnit] = useState('');

  return (
    <details class="asset-editor" data-testid={`asset-${asset.key}`}>
      <summary>
        <strong>{asset.name}</strong>{' '}
        <span class="muted">
          ({asset.key}, {asset.type})
        </span>{' '}
        · {t('admin.registry.points', { count: asset.points.length })}
      </summary>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void action
            .run(() =>
              api.putAsset(site.key, asset.key, {
                name,
                type: asset.type,
                tags: asset.tags,
                attributes: plainAttributes(asset.attributes),
                points: asset.points.map(pointBody),
              }),
            )
            .then((ok) => ok && onSaved());
        }}
      >
        <label>
          {t('admin.registry.assetName')}
          <input value={name} onInput={(event) => setName(event.currentTarget.value)} required data-testid={`asset-name-${asset.key}`} />
        </label>
        <button type="submit" class="button" data-testid={`asset-save-${asset.key}`}>
          {t('admin.save')}
        </button>
      </form>
      <ul class="plain-list">
        {asset.points.map((point) => (
          <li key={point.key}>
            <code>{point.key}</code> {point.name ?? ''}{' '}
            <span class="muted">
              ({point.kind}
              {point.unit ? `, ${point.unit}` : ''})
            </span>
          </li>
        ))}
      </ul>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void action
            .run(() => api.putPoint(site.key, asset.key, pointKey, { kind, unit, tags: [], attributes: {} }))
            .then((ok) => {
              if (ok) {
                setPointKey('');
                onSaved();
              }
            });
        }}
      >
        <label>
          {t('admin.registry.pointKey')}
          <input
            value={pointKey}
            onInput={(event) => setPointKey(event.currentTarget.value)}
            required
            data-testid={`point-key-${asset.key}`}
          />
        </label>
        <label>
          {t('admin.registry.kind')}
          <select value={kind} onChange={(event) => setKind(event.currentTarget.value as (typeof POINT_KINDS)[number])}>
            {POINT_KINDS.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.registry.unit')}
          <input value={unit} onInput={(event) => setUnit(event.currentTarget.value)} data-testid={`point-unit-${asset.key}`} />
        </label>
        <button type="submit" class="button" data-testid={`point-add-${asset.key}`}>
          {t('admin.registry.addPoint')}
        </button>
      </form>
    </details>
  );
}
