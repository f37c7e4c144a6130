import { SetMetadata } from '@nestjs/common';
import { Role } from '@hallwatch/domain';

export const ROLES_KEY = 'hallwatch:roles';
/** Only these roles may call the route (admin always may). Without it, any valid token may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
