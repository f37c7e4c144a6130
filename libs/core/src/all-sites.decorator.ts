import { SetMetadata } from '@nestjs/common';

export const ALL_SITES_KEY = 'hallwatch:all-sites';

/**
 * The route reads or changes what every site shares (tariffs, dead letters, metrics...): it needs
 * an all-sites scope. Here rather than in @hallwatch/auth so that core's own routes can say it.
 */
export const AllSites = () => SetMetadata(ALL_SITES_KEY, true);
