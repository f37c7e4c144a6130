import { Injectable } from '@nestjs/common';
import { AlertListKey, AlertsRepository, AlertState, NotificationsRepository } from '@hallwatch/alerts';
import { listSites } from '@hallwatch/auth';
import { DomainError } from '@hallwatch/core';
import { SiteScope } from '@hallwatch/domain';
import { encodeCursor } from '../pagination/page-cursor';
import { AlertLang, alertView } from './alert-view';

export interface AlertPageQuery {
  state?: AlertState;
  site?: string;
  limit: number;
  after?: AlertListKey;
  lang: AlertLang;
}

/** Alerts as the crews read them: a page of the list, or one alert with its history and notifications. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly notifications: NotificationsRepository,
  ) {}

  /** Scoped in the query, not after it: a page filtered afterwards would come out short. */
  async page({ lang, ...query }: AlertPageQuery, scope: SiteScope) {
    const { alerts, next } = await this.alerts.page({ ...query, sites: listSites(scope, query.site) });
    return { alerts: alerts.map((alert) => alertView(alert, lang)), next: next && encodeCursor('alerts', next) };
  }

  async get(id: number, lang: AlertLang) {
    const alert = await this.alerts.find(id);
    if (!alert) throw new DomainError('not-found', `No alert ${id}`);
    const [events, notifications] = await Promise.all([this.alerts.events(id), this.notifications.list({ alertId: id })]);
    return { ...alertView(alert, lang), events, notifications };
  }
}
