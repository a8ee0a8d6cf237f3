// HTTP face of the working-day calendar. Reading is public: a party counting its own time limit
// (陈述申辩、听证申请) and the public checking a publication deadline (R-P11) need the same answer.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { addRoute } from '../http/route.ts';
import * as calendarService from './service.ts';
import {
  CalendarDayInput,
  CalendarDaysBatch,
  CalendarYearResponse,
  DayParams,
  DeadlineQuery,
  DeadlineResponse,
  SavedDaysResponse,
  YearQuery,
} from './schema.ts';

const tags = ['工作日历'];

export function registerCalendarRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/calendar/deadline',
    summary: '按工作日计算期限届满日（起算日不计入；跳过周末和法定节假日，调休上班日计入）',
    tags,
    access: 'public',
    query: DeadlineQuery,
    response: DeadlineResponse,
    handler: async ({ query }) => calendarService.deadlineInWorkingDays(ctx.db, query.from, query.workingDays),
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/calendar/days',
    summary: '某年的放假日和调休上班日及其来源（国务院办公厅通知、管理员录入或法定节假日推算）',
    tags,
    access: 'public',
    query: YearQuery,
    response: CalendarYearResponse,
    handler: async ({ query }) => calendarService.listYear(ctx.db, query.year),
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/calendar/days',
    summary: '设置某一天为放假日或上班日（优先于内置数据；仅系统管理员）。内置库没有的年份，录入任一天即视为已录入该年通知，不再按法定节假日推算，请用批量接口一次录入整份通知',
    tags,
    access: 'user',
    body: CalendarDayInput,
    response: SavedDaysResponse,
    handler: async ({ body, actor, req }) => ({ items: await calendarService.setCalendarDays(ctx, req, actor, [body]) }),
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/calendar/days/batch',
    summary: '一次录入一整份国务院办公厅放假安排通知（放假日和调休上班日；全部成功或全部不生效；仅系统管理员）',
    tags,
    access: 'user',
    body: CalendarDaysBatch,
    response: SavedDaysResponse,
    handler: async ({ body, actor, req }) => ({ items: await calendarService.setCalendarDays(ctx, req, actor, body.days) }),
  });

  addRoute(app, ctx, {
    method: 'DELETE',
    url: '/api/v1/calendar/days/:day',
    summary: '删除某一天的设置，恢复按通知或法定节假日计算（仅系统管理员）',
    tags,
    access: 'user',
    params: DayParams,
    handler: async ({ params, actor, req }) => {
      await calendarService.clearCalendarDay(ctx, req, actor, params.day);
      return { ok: true };
    },
  });
}
