import { Body, Controller, Get, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { AccountsService, CurrentPrincipal, Principal, signInSchema, SignInThrottlerGuard } from '@hallwatch/auth';
import { Public } from '@hallwatch/core';
import { NoAudit } from './audit.interceptor';
import { ZodPipe } from '../zod-body.pipe';
import { Returns } from '../openapi/returns.decorator';
import { me, ME_EXAMPLE, SIGN_IN_EXAMPLE, signInAnswer } from './auth.contract';

/** Sign in with a name and password for a session token; sign out; who am I. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('sign-in')
  @Public()
  @NoAudit()
  @UseGuards(SignInThrottlerGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in: { name, password } gives a bearer session token that expires after AUTH_SESSION_HOURS',
    description: 'Every attempt, right or wrong, is in the audit log (without the password).',
  })
  @ApiTooManyRequestsResponse({
    description: 'More than AUTH_SIGN_IN_LIMIT attempts a minute for one name from this address, or four times that from this address',
  })
  @Returns(signInAnswer, { errors: [401], description: 'A session token and who it is for', example: SIGN_IN_EXAMPLE })
  signIn(@Body(new ZodPipe(signInSchema)) body: z.infer<typeof signInSchema>, @Ip() ip: string) {
    return this.accounts.signIn(body, ip);
  }

  @Post('sign-out')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke the token this request presents (a session or an API token), at once' })
  signOut(@CurrentPrincipal() who: Principal) {
    return this.accounts.signOut(who);
  }

  @Get('me')
  @Returns(me, { example: ME_EXAMPLE })
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the presented token is: name, role, sites, kind and expiry' })
  me(@CurrentPrincipal() who: Principal) {
    return this.accounts.me(who);
  }
}
