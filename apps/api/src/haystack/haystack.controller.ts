import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal } from '@hallwatch/auth';
import { z } from 'zod';
import { Returns } from '../openapi/returns.decorator';
import { ZodPipe } from '../zod-body.pipe';
import { HAYSON_MIME_TYPE, HaysonGrid } from './hayson';
import { HaystackBodyPipe } from './haystack-body.pipe';
import { ABOUT_EXAMPLE, FORMATS_EXAMPLE, HIS_READ_EXAMPLE, haysonGrid, OPS_EXAMPLE, READ_EXAMPLE } from './haystack.contract';
import { HaystackService } from './haystack.service';
import {
  haysonRequestGrid,
  hisReadQuery,
  HisReadQuery,
  hisReadRequestRow,
  MAX_READ_LIMIT,
  readQuery,
  ReadQuery,
  readRequestRow,
} from './haystack.schemas';

const readRequestGrid = haysonRequestGrid.extend({ rows: z.array(readRequestRow).length(1, 'one row: filter (and limit)') });
const hisReadRequestGrid = haysonRequestGrid.extend({ rows: z.array(hisReadRequestRow).length(1, 'one row: id and range') });

/**
 * A read-only subset of the Project Haystack HTTP API (docHaystack/HttpApi) over the registry
 * and the stored readings, answered in Hayson. Ops take a GET query or a POSTed request grid
 * (Zinc or Hayson), as the spec allows; a caller sees only the sites of its token.
 */
@ApiTags('haystack')
@ApiBearerAuth()
@Controller('haystack')
export class HaystackController {
  constructor(private readonly haystack: HaystackService) {}

  @Get('about')
  @ApiOperation({ summary: 'Haystack about: the server and its version, as a one-row Hayson grid' })
  @Returns(haysonGrid, { example: ABOUT_EXAMPLE })
  about(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) response: Response) {
    return haysonResponse(response, accept, this.haystack.about());
  }

  @Get('ops')
  @ApiOperation({ summary: 'Haystack ops: the operations this server answers (about, ops, formats, read, hisRead)' })
  @Returns(haysonGrid, { example: OPS_EXAMPLE })
  ops(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) response: Response) {
    return haysonResponse(response, accept, this.haystack.ops());
  }

  @Get('formats')
  @ApiOperation({ summary: 'Haystack formats: Hayson in and out, Zinc request grids in' })
  @Returns(haysonGrid, { example: FORMATS_EXAMPLE })
  formats(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) response: Response) {
    return haysonResponse(response, accept, this.haystack.formats());
  }

  @Get('read')
  @ApiOperation({
    summary: 'Haystack read: the sites, equips and points that match a filter (docHaystack/Filters)',
    description: `filter e.g. \`point and his and equipRef->chiller\` (default: every entity); limit at most ${MAX_READ_LIMIT}`,
  })
  @Returns(haysonGrid, { example: READ_EXAMPLE })
  read(
    @Query(new ZodPipe(readQuery)) query: ReadQuery,
    @CurrentPrincipal() who: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.readAnswer(query.filter, query.limit, who, accept, response);
  }

  @Post('read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Haystack read with a request grid (Zinc or Hayson): one row with filter and optional limit' })
  @Returns(haysonGrid, { example: READ_EXAMPLE, errors: [413] })
  readByGrid(
    @Body(new HaystackBodyPipe(), new ZodPipe(readRequestGrid)) grid: z.infer<typeof readRequestGrid>,
    @CurrentPrincipal() who: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const [row] = grid.rows;
    return this.readAnswer(row.filter, row.limit ?? MAX_READ_LIMIT, who, accept, response);
  }

  @Get('hisRead')
  @ApiOperation({
    summary: "Haystack hisRead: a point's history over a range in its site's time zone",
    description:
      'range: today, yesterday, 2025-03-09, 2025-03-01,2025-03-09, or dateTimes with offsets; raw readings up to a day, hourly rollups up to 31 days, daily rollups up to 3,660 days',
  })
  @Returns(haysonGrid, { example: HIS_READ_EXAMPLE })
  hisRead(
    @Query(new ZodPipe(hisReadQuery)) query: HisReadQuery,
    @CurrentPrincipal() who: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.hisReadAnswer(query.id, query.range, who, accept, response);
  }

  @Post('hisRead')
  @HttpCode(200)
  @ApiOperation({ summary: 'Haystack hisRead with a request grid (Zinc or Hayson): one row with id and range' })
  @Returns(haysonGrid, { example: HIS_READ_EXAMPLE, errors: [413] })
  hisReadByGrid(
    @Body(new HaystackBodyPipe(), new ZodPipe(hisReadRequestGrid)) grid: z.infer<typeof hisReadRequestGrid>,
    @CurrentPrincipal() who: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const [row] = grid.rows;
    return this.hisReadAnswer(row.id, row.range, who, accept, response);
  }

  private async readAnswer(filter: string, limit: number, who: Principal, accept: string | undefined, response: Response) {
    return haysonResponse(response, accept, await this.haystack.read(filter, limit, who.sites));
  }

  private async hisReadAnswer(id: string, range: string, who: Principal, accept: string | undefined, response: Response) {
    return haysonResponse(response, accept, await this.haystack.hisRead(id, range, who.sites));
  }
}

/** Haystack clients ask for application/vnd.haystack+json; anyone else gets the same body as application/json. */
function haysonResponse(response: Response, accept: string | undefined, grid: HaysonGrid): HaysonGrid {
  response.type(accept?.includes(HAYSON_MIME_TYPE) ? HAYSON_MIME_TYPE : 'application/json');
  return grid;
}
