import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountsService, NewUser, newUserSchema, Roles, UserChange, userChangeSchema } from '@hallwatch/auth';
import { ZodPipe } from '../zod-body.pipe';
import { z } from 'zod';
import { Returns } from '../openapi/returns.decorator';
import { USER_EXAMPLE, userView } from './auth.contract';

/** People who sign in: admins create them, change their role, sites or password, and disable them. */
@ApiTags('auth')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'Every user with role, sites and whether disabled (never a password hash)' })
  @Returns(z.array(userView), { example: [USER_EXAMPLE] })
  list() {
    return this.accounts.listUsers();
  }

  @Post()
  @ApiOperation({ summary: "Create a user: { name, password (10+ characters), role, sites ('*' or site keys) }" })
  @Returns(userView, { errors: [409], example: USER_EXAMPLE })
  create(@Body(new ZodPipe(newUserSchema)) body: NewUser) {
    return this.accounts.createUser(body);
  }

  @Put(':name')
  @ApiOperation({
    summary: 'Change role, sites or password ({ enabled: true } re-enables)',
    description: 'Role and sites apply to open sessions at once; a new password ends every session of the user.',
  })
  @Returns(userView, { example: USER_EXAMPLE })
  update(@Param('name') name: string, @Body(new ZodPipe(userChangeSchema)) body: UserChange) {
    return this.accounts.updateUser(name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disable a user (not deleted: the name stays in the audit log); ends their sessions' })
  disable(@Param('name') name: string) {
    return this.accounts.disableUser(name);
  }
}
