import { SetMetadata } from '@nestjs/common';

export { ALL_SITES_KEY, AllSites } from '@hallwatch/core';
export const SITE_OF_KEY = 'hallwatch:site-of';
export const SCOPED_LIST_KEY = 'hallwatch:scoped-list';

/** Things addressed by id whose site is looked up before the handler runs. */
export type SiteOwned = 'alert' | 'alert-rule' | 'maintenance-task' | 'work-item' | 'report-run' | 'report-schedule';

/** The route acts on a thing of some site, named by the `param` path parameter: the caller must be scoped to that site. */
export const SiteOf = (kind: SiteOwned, param = 'id') => SetMetadata(SITE_OF_KEY, { kind, param });

/** The route returns a list: items of sites outside the caller's scope are left out. `undefined` marks an item every site shares. */
export const ScopedList = <T>(siteOf: (item: T) => string | undefined) => SetMetadata(SCOPED_LIST_KEY, siteOf);
