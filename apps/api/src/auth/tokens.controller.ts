import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AccountsService, CurrentPrincipal, NewApiToken, newTokenSchema, Principal, Roles } from '@hallwatch/auth';
import { ZodPipe } from '../zod-body.pipe';
import { Returns } from '../openapi/returns.decorator';
import { createdToken, TOKEN_EXAMPLE, tokenView } from './auth.contract';

const listQuery = z.object({ includeInactive: z.enum(['true', 'false']).default('false') });

/** API tokens for machines and integrations; the list also shows sign-in sessions. */
@ApiTags('auth')
@ApiBearerAuth()
@Roles('admin')
@Controller('tokens')
export class TokensController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @ApiOperation({
    summary: "Create an API token: { name, role, sites ('*' or site keys), expiresAt? }",
    description: 'The answer holds the token; it is shown this once and only its hash is kept.',
  })
  @Returns(createdToken, { example: { ...TOKEN_EXAMPLE, token: 'Zq3…(43 characters)' } })
  create(@Body(new ZodPipe(newTokenSchema)) body: NewApiToken, @CurrentPrincipal() who: Principal) {
    return this.accounts.createToken(body, who.name);
  }

  @Get()
  @ApiOperation({ summary: 'Active tokens and sessions (includeInactive=true adds revoked and expired ones); never a token or hash' })
  @Returns(z.array(tokenView), { example: [TOKEN_EXAMPLE] })
  list(@Query(new ZodPipe(listQuery)) query: z.infer<typeof listQuery>) {
    return this.accounts.listTokens(query.includeInactive === 'true');
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a token or session; it is refused from the next request on' })
  revoke(@Param('id', ParseIntPipe) id: number) {
    return this.accounts.revokeToken(id);
  }
}
