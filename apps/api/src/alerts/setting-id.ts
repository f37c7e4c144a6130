import { DomainError } from '@hallwatch/core';

const SETTING_ID = /^[a-z0-9][a-z0-9._-]*$/;

/** Ids the caller chooses (tasks, contacts) go into URLs and logs: lower-case letters, digits and . _ - only. */
export function assertSettingId(id: string, kind: 'task' | 'contact'): void {
  if (!SETTING_ID.test(id)) throw new DomainError('invalid-input', `${kind} ids are lower-case letters, digits and . _ -`);
}
