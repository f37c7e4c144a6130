import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@hallwatch/auth';
import { assetDefinition, pointDefinition, siteDefinition } from '@hallwatch/registry';
import { z } from 'zod';
import { ZodPipe } from '../zod-body.pipe';
import { SitesService } from './sites.service';

/** Bodies carry no key: the path names what is created or updated. */
const siteBody = siteDefinition.omit({ key: true });
const assetBody = assetDefinition.omit({ key: true });
const pointBody = pointDefinition.omit({ key: true });

@ApiTags('sites')
@ApiBearerAuth()
@Controller('sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  @ApiOperation({ summary: 'All sites' })
  list() {
    return this.sites.list();
  }

  @Get(':site')
  @ApiOperation({ summary: 'A site with its assets and points' })
  get(@Param('site') site: string) {
    return this.sites.get(site);
  }

  @Put(':site')
  @Roles('admin')
  @ApiOperation({ summary: 'Create or update a site (registry file format, one site)' })
  put(@Param('site') site: string, @Body(new ZodPipe(siteBody)) body: z.infer<typeof siteBody>) {
    return this.sites.put({ ...body, key: site });
  }

  @Put(':site/assets/:asset')
  @Roles('admin')
  @ApiOperation({ summary: 'Create or update an asset with its points' })
  putAsset(@Param('site') site: string, @Param('asset') asset: string, @Body(new ZodPipe(assetBody)) body: z.infer<typeof assetBody>) {
    return this.sites.putAsset(site, { ...body, key: asset });
  }

  @Put(':site/assets/:asset/points/:point')
  @Roles('admin')
  @ApiOperation({ summary: 'Create or update a point' })
  putPoint(
    @Param('site') site: string,
    @Param('asset') asset: string,
    @Param('point') point: string,
    @Body(new ZodPipe(pointBody)) body: z.infer<typeof pointBody>,
  ) {
    return this.sites.putPoint(site, asset, { ...body, key: point });
  }
}
