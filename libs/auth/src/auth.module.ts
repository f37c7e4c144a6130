import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccountsService } from './accounts.service';
import { AuditRepository } from './audit.repository';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { FailedAuthThrottle } from './failed-auth-throttle';
import { TokenRepository } from './token.repository';
import { UserRepository } from './user.repository';

@Global()
@Module({
  providers: [
    TokenRepository,
    UserRepository,
    AuditRepository,
    FailedAuthThrottle,
    AuthService,
    AccountsService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, AccountsService, AuditRepository],
})
export class AuthModule {}
