import { Injectable } from '@nestjs/common';
import {
  MaintenancePlanner,
  MaintenanceRepository,
  MaintenanceTask,
  MaintenanceTaskInput,
  WorkItem,
  WorkItemListKey,
} from '@hallwatch/alerts';
import { listSites } from '@hallwatch/auth';
import { DomainError } from '@hallwatch/core';
import { SiteScope } from '@hallwatch/domain';
import { encodeCursor } from '../pagination/page-cursor';
import { assertSettingId } from './setting-id';

export interface WorkItemPageQuery {
  site?: string;
  state?: WorkItem['state'];
  taskId?: string;
  limit: number;
  after?: WorkItemListKey;
}

/** Maintenance tasks and their work items as the API edits and pages them; the planner decides what falls due. */
@Injectable()
export class MaintenanceService {
  constructor(
    private readonly maintenance: MaintenanceRepository,
    private readonly planner: MaintenancePlanner,
  ) {}

  tasks(site?: string): Promise<MaintenanceTask[]> {
    return this.maintenance.tasks(site);
  }

  /** The task as stored, with its site's time zone. */
  async putTask(id: string, task: MaintenanceTaskInput, by: string): Promise<MaintenanceTask | undefined> {
    assertSettingId(id, 'task');
    await this.maintenance.putTask(id, task, by);
    return this.maintenance.task(id);
  }

  async removeTask(id: string): Promise<void> {
    if (!(await this.maintenance.removeTask(id))) throw new DomainError('not-found', `No maintenance task ${id}`);
  }

  /** Scoped in the query, not after it: a page filtered afterwards would come out short. */
  async workItemPage(query: WorkItemPageQuery, scope: SiteScope): Promise<{ items: WorkItem[]; next: string | null }> {
    const { items, next } = await this.maintenance.workItemPage({ ...query, sites: listSites(scope) });
    return { items, next: next && encodeCursor('work-items', next) };
  }

  fromAlert(alertId: number, by: string, note: string | null): Promise<WorkItem> {
    return this.planner.fromAlert(alertId, by, note);
  }

  complete(id: number, by: string, note: string | null): Promise<WorkItem> {
    return this.planner.complete(id, by, note);
  }
}
