import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, ScopedList } from '@hallwatch/auth';
import { assetDefinition, checkPointStates, pointDefinition, siteDefinition } from '@hallwatch/registry';
import { z } from 'zod';
import { ZodPipe } from '../zod-body.pipe';
import { SitesService, SiteView } from './sites.service';
import { Returns } from '../openapi/returns.decorator';
import { registerReplacement, SITE_EXAMPLE, siteDetailView, siteView } from './sites.contract';

/** Bodies carry no key: the path names what is created or updated. */
const siteBody = siteDefinition.omit({ key: true });
const assetBody = assetDefinition.omit({ key: true });
const pointBody = pointDefinition.omit({ key: true }).superRefine(checkPointStates);
const replacementBody = z.object({
  at: z.coerce.date({ message: 'when the new meter went in, as ISO 8601 or epoch ms' }),
  startValue: z.number().finite().min(0, 'a register does not start below zero'),
  note: z.string().trim().min(1).nullable().default(null),
});

@ApiTags('sites')
@ApiBearerAuth()
@Controller('sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  @ScopedList<SiteView>((site) => site.key)
  @ApiOperation({ summary: 'All sites (those the caller is scoped to)' })
  @Returns(z.array(siteView), { example: [SITE_EXAMPLE] })
  list(): Promise<Array<z.infer<typeof siteView>>> {
    return this.sites.list();
  }

  @Get(':site')
  @ApiOperation({ summary: 'A site with its assets and points' })
  @Returns(siteDetailView)
  get(@Param('site') site: string): Promise<z.infer<typeof siteDetailView>> {
    return this.sites.get(site);
  }

  @Put(':site')
  @Roles('admin')
  @ApiOperation({ summary: 'Create or update a site (registry file format, one site)' })
  @Returns(siteDetailView)
  put(@Param('site') site: string, @Body(new ZodPipe(siteBody)) body: z.infer<typeof siteBody>) {
    return this.sites.put({ ...body, key: site });
  }

  @Put(':site/assets/:asset')
  @Roles('admin')
  @ApiOperation({ summary: 'Create or update an asset with its points' })
  @Returns(siteDetailView)
  putAsset(@Param('site') site: string, @Param('asset') asset: string, @Body(new ZodPipe(assetBody)) body: z.infer<typeof assetBody>) {
    return this.sites.putAsset(site, { ...body, key: asset });
  }

  @Put(':site/assets/:asset/points/:point')
  @Roles('admin')
  @ApiOperation({ summary: 'Create or update a point' })
  @Returns(siteDetailView)
  putPoint(
    @Param('site') site: string,
    @Param('asset') asset: string,
    @Param('point') point: string,
    @Body(new ZodPipe(pointBody)) body: z.infer<typeof pointBody>,
  ) {
    return this.sites.putPoint(site, asset, { ...body, key: point });
  }

  @Get(':site/assets/:asset/points/:point/replacements')
  @ApiOperation({ summary: 'Recorded meter replacements of a register point' })
  @Returns(z.array(registerReplacement))
  replacements(@Param('site') site: string, @Param('asset') asset: string, @Param('point') point: string) {
    return this.sites.replacements(site, asset, point);
  }

  @Post(':site/assets/:asset/points/:point/replacements')
  @Roles('engineer')
  @ApiOperation({
    summary: 'Record a meter replacement: the new register starts at startValue, so the step across it counts from there (flag 16)',
  })
  @Returns(registerReplacement)
  recordReplacement(
    @Param('site') site: string,
    @Param('asset') asset: string,
    @Param('point') point: string,
    @Body(new ZodPipe(replacementBody)) body: z.infer<typeof replacementBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.sites.recordReplacement(site, asset, point, body, who.name);
  }
}
