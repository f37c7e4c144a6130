import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'hallwatch:public';
/** The route needs no token. Only /health is public. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
