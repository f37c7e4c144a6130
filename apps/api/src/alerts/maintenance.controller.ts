import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { MaintenanceTask, MaintenanceTaskInput, maintenanceTaskSchema } from '@hallwatch/alerts';
import { CurrentPrincipal, Principal, Roles, ScopedList, SiteOf } from '@hallwatch/auth';
import { ZodPipe } from '../zod-body.pipe';
import { cursorParameter, cursorParts, limitParameter } from '../pagination/page-cursor';
import { linkNextPage, NEXT_LINK_HEADER } from '../pagination/next-link';
import { Returns } from '../openapi/returns.decorator';
import { maintenanceTask, WORK_ITEM_EXAMPLE, workItem } from './alerts.contract';
import { MaintenanceService } from './maintenance.service';

const tasksQuery = z.object({ site: z.string().optional() });
const itemsQuery = z.object({
  site: z.string().optional(),
  state: z.enum(['open', 'done']).optional(),
  taskId: z.string().optional(),
  limit: limitParameter(500, 1000),
  cursor: cursorParameter('work-items', cursorParts.day, cursorParts.id).optional(),
});
const completeBody = z.object({ note: z.string().trim().min(1).nullable().default(null) });

/** Maintenance schedules per asset (calendar or running hours) and the work items they produce. */
@ApiTags('maintenance')
@ApiBearerAuth()
@Controller('maintenance')
export class MaintenanceController {
  constructor(private readonly maintenance: MaintenanceService) {}

  @Get('tasks')
  @ScopedList<MaintenanceTask>((task) => task.site)
  @ApiOperation({ summary: 'Maintenance tasks: weekly … annual from an anchor date, or every N running hours of a status point' })
  @Returns(z.array(maintenanceTask))
  tasks(@Query(new ZodPipe(tasksQuery)) query: z.infer<typeof tasksQuery>) {
    return this.maintenance.tasks(query.site);
  }

  @Put('tasks/:id')
  @SiteOf('maintenance-task')
  @Roles('maintenance', 'engineer')
  @ApiOperation({ summary: 'Create or replace a task' })
  @Returns(maintenanceTask)
  putTask(
    @Param('id') id: string,
    @Body(new ZodPipe(maintenanceTaskSchema)) body: MaintenanceTaskInput,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.maintenance.putTask(id, body, who.name);
  }

  @Delete('tasks/:id')
  @SiteOf('maintenance-task')
  @HttpCode(204)
  @Roles('maintenance', 'engineer')
  @ApiOperation({ summary: 'Remove a task and its open work items' })
  removeTask(@Param('id') id: string) {
    return this.maintenance.removeTask(id);
  }

  @Get('work-items')
  @ApiOperation({ summary: 'Work items by due date; state=open lists what is to do; the `Link` header leads to the next page' })
  @Returns(z.array(workItem), { example: [WORK_ITEM_EXAMPLE], headers: NEXT_LINK_HEADER })
  async workItems(
    @Query(new ZodPipe(itemsQuery)) { cursor, ...query }: z.infer<typeof itemsQuery>,
    @CurrentPrincipal() who: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { items, next } = await this.maintenance.workItemPage({ ...query, after: cursor }, who.sites);
    linkNextPage(request, response, next);
    return items;
  }

  @Post('work-items/from-alert/:alertId')
  @SiteOf('alert', 'alertId')
  @Roles('maintenance', 'engineer')
  @ApiOperation({ summary: "Make an alert a work item for its asset, due today (once per alert); noted in the alert's history" })
  @Returns(workItem, { errors: [409] })
  fromAlert(
    @Param('alertId', ParseIntPipe) alertId: number,
    @Body(new ZodPipe(completeBody)) body: z.infer<typeof completeBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.maintenance.fromAlert(alertId, who.name, body.note);
  }

  @Post('work-items/:id/complete')
  @SiteOf('work-item')
  @HttpCode(200)
  @Roles('maintenance', 'engineer')
  @ApiOperation({ summary: 'Complete a work item with a note; resolves its overdue alert' })
  @Returns(workItem, { errors: [409] })
  complete(
    @Param('id', ParseIntPipe) id: number,
    @Body(new ZodPipe(completeBody)) body: z.infer<typeof completeBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.maintenance.complete(id, who.name, body.note);
  }
}
