import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AllSites, CurrentPrincipal, Principal, Roles } from '@hallwatch/auth';
import { OPCUA_SECURITY_MODES, OPCUA_SECURITY_POLICIES } from '@hallwatch/registry';
import { ZodPipe } from '../zod-body.pipe';
import { OpcuaBrowseService } from './opcua-browse.service';
import { Returns } from '../openapi/returns.decorator';
import { browseResult } from './opcua.contract';

const browseBody = z
  .object({
    site: z.string().optional(),
    endpoint: z.string().optional(),
    key: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'endpoint keys are [a-z0-9-]+')
      .optional(),
    url: z
      .string()
      .regex(/^opc\.tcp:\/\/.+/, 'an opc.tcp:// URL')
      .optional(),
    securityMode: z.enum(OPCUA_SECURITY_MODES).optional(),
    securityPolicy: z.enum(OPCUA_SECURITY_POLICIES).optional(),
    auth: z.enum(['anonymous', 'username', 'certificate']).optional(),
  })
  .refine((body) => body.endpoint !== undefined || body.url !== undefined, { message: 'name a registered endpoint, or give a url' });

@ApiTags('opcua')
@ApiBearerAuth()
@Controller('opcua')
export class OpcuaBrowseController {
  constructor(private readonly browser: OpcuaBrowseService) {}

  @Post('browse')
  @HttpCode(200)
  @Roles('engineer')
  @AllSites()
  @ApiOperation({
    summary: 'Browse an OPC UA server and propose node-to-point mappings for the registry (nothing is registered)',
    description:
      'Body: { endpoint (a registered one, with its security and credentials) } or { url, securityMode, securityPolicy, auth, key }. ' +
      'Stored credentials (auth username or certificate) go only to the URL registered for `key`; a URL that no endpoint is registered for ' +
      'needs an admin. At most 10 browses a minute per token.',
  })
  @Returns(browseResult, { errors: [429, 502] })
  browse(@Body(new ZodPipe(browseBody)) body: z.infer<typeof browseBody>, @CurrentPrincipal() principal: Principal) {
    return this.browser.browse(body, principal);
  }
}
