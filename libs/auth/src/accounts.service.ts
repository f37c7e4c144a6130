import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AppConfig } from '@hallwatch/config';
import { DomainError } from '@hallwatch/core';
import { ALL_SITES, Role, ROLES, SiteScope } from '@hallwatch/domain';
import { AuditRepository } from './audit.repository';
import { AuthService, hashToken, newToken, Principal } from './auth.service';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './password';
import { scopeFromColumn, scopeToColumn } from './site-scope';
import { TokenRepository, TokenView } from './token.repository';
import { UserRepository, UserRow } from './user.repository';

const userName = z.string().regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, 'user names are lower-case letters, digits and . _ @ -, at most 64');
const password = z.string().min(10, 'a password has at least 10 characters').max(1024);
const role = z.enum(ROLES);
const sites = z.union([z.literal(ALL_SITES), z.array(z.string().regex(/^[a-z0-9-]+$/, 'site keys are [a-z0-9-]+')).min(1)]);
const adminSeesEverySite = (value: { role?: Role; sites?: SiteScope }) =>
  value.role !== 'admin' || value.sites === undefined || value.sites === ALL_SITES;
const adminMessage = { message: "an admin is scoped to every site ('*')", path: ['sites'] };

export const signInSchema = z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
export const newUserSchema = z
  .object({ name: userName, password, role, sites: sites.default(ALL_SITES) })
  .refine(adminSeesEverySite, adminMessage);
export const userChangeSchema = z
  .object({ role: role.optional(), sites: sites.optional(), password: password.optional(), enabled: z.literal(true).optional() })
  .refine(adminSeesEverySite, adminMessage);
export const newTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    role,
    sites: sites.default(ALL_SITES),
    expiresAt: z.coerce
      .date()
      .refine((date) => date.getTime() > Date.now(), 'expiresAt is in the past')
      .optional(),
  })
  .refine(adminSeesEverySite, adminMessage);

export type NewUser = z.infer<typeof newUserSchema>;
export type UserChange = z.infer<typeof userChangeSchema>;
export type NewApiToken = z.infer<typeof newTokenSchema>;

export interface UserView {
  name: string;
  role: Role;
  sites: SiteScope;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Users and their sign-in sessions, and API tokens for machines: everything an admin manages about access. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenRepository,
    private readonly audit: AuditRepository,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /** A session token valid for AUTH_SESSION_HOURS. Every attempt is audited, never with the password. */
  async signIn(credentials: z.infer<typeof signInSchema>, ip: string | null) {
    const user = await this.users.find(credentials.name);
    // Unknown names cost a hash too, so timing does not tell which names exist.
    const matches = await verifyPassword(credentials.password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    const refusal = !user ? 'unknown user' : !matches ? 'wrong password' : user.disabledAt ? 'disabled' : undefined;
    if (!user || refusal) {
      await this.audit.record({
        actor: credentials.name,
        action: 'auth.sign-in',
        target: credentials.name,
        detail: { outcome: 'failure', reason: refusal },
        ip,
      });
      throw new DomainError('unauthorised', 'Wrong name or password');
    }
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.config.get('AUTH_SESSION_HOURS') * 3_600_000);
    const session = await this.tokens.create({
      name: 'sign-in session',
      tokenHash: hashToken(token),
      kind: 'session',
      role: user.role,
      sites: user.sites,
      userId: user.id,
      expiresAt,
      createdBy: user.name,
    });
    await this.audit.record({
      actor: user.name,
      action: 'auth.sign-in',
      target: user.name,
      detail: { outcome: 'success', tokenId: session.id },
      ip,
    });
    return { token, tokenType: 'Bearer', expiresAt: expiresAt.toISOString(), user: userView(user) };
  }

  async signOut(principal: Principal): Promise<void> {
    await this.tokens.revoke(principal.tokenId);
    this.auth.changed({ tokenId: principal.tokenId });
  }

  me(principal: Principal) {
    const { name, role, sites, kind, expiresAt } = principal;
    return { name, role, sites, kind, expiresAt };
  }

  async listUsers(): Promise<UserView[]> {
    return (await this.users.list()).map(userView);
  }

  async createUser(input: NewUser): Promise<UserView> {
    const created = await this.users.create({
      name: input.name,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      sites: scopeToColumn(input.sites),
    });
    if (!created) throw new DomainError('conflict', `A user named ${input.name} exists`);
    return userView(created);
  }

  /** Role and sites apply to open sessions at once; a new password ends them. */
  async updateUser(name: string, change: UserChange): Promise<UserView> {
    const current = await this.requireUser(name);
    const role = change.role ?? current.role;
    const scope = change.sites ?? scopeFromColumn(current.sites);
    if (role === 'admin' && scope !== ALL_SITES) throw new DomainError('invalid-input', "an admin is scoped to every site ('*')");
    const updated = await this.users.update(name, {
      role: change.role,
      sites: change.sites === undefined ? undefined : scopeToColumn(change.sites),
      passwordHash: change.password === undefined ? undefined : await hashPassword(change.password),
      enable: change.enabled,
    });
    if (change.password !== undefined) await this.tokens.revokeSessionsOf(current.id);
    this.auth.changed({ userId: current.id });
    return userView(updated!);
  }

  /** Disabled, not deleted: the name stays in the audit log and cannot be taken by someone else. */
  async disableUser(name: string): Promise<void> {
    const user = await this.requireUser(name);
    await this.users.disable(name);
    await this.tokens.revokeSessionsOf(user.id);
    this.auth.changed({ userId: user.id });
  }

  /** The token itself is in this answer only; the database keeps its hash. */
  async createToken(input: NewApiToken, createdBy: string): Promise<TokenView & { token: string }> {
    const token = newToken();
    const view = await this.tokens.create({
      name: input.name,
      tokenHash: hashToken(token),
      kind: 'api',
      role: input.role,
      sites: scopeToColumn(input.sites),
      userId: null,
      expiresAt: input.expiresAt ?? null,
      createdBy,
    });
    return { ...view, token };
  }

  listTokens(includeInactive: boolean): Promise<TokenView[]> {
    return this.tokens.list({ includeInactive });
  }

  async revokeToken(id: number): Promise<void> {
    if (!(await this.tokens.revoke(id))) throw new DomainError('not-found', `No active token ${id}`);
    this.auth.changed({ tokenId: id });
  }

  private async requireUser(name: string): Promise<UserRow> {
    const user = await this.users.find(name);
    if (!user) throw new DomainError('not-found', `No user ${name}`);
    return user;
  }
}

function userView(user: UserRow): UserView {
  return {
    name: user.name,
    role: user.role,
    sites: scopeFromColumn(user.sites),
    disabledAt: user.disabledAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
