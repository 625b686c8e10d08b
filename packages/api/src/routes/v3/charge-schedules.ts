import type { FastifyInstance } from 'fastify';
import { ApiError, uuid } from '@opencar/core';
import type { ChargeScheduleExecutionRow, ChargeScheduleRow, ChargeSchedulesRepo } from '@opencar/storage';
import type { ApiDeps } from '../../deps.js';
import { requirePermission } from '../../pipeline/vehicle-access.js';
import { openV3Vehicle } from './v3-access.js';
import { v3ErrorHandler } from './v3-error.js';
import { attributesOf } from './command-table.js';
import { nextEvent, parseSchedule, SCHEDULE_TYPES, type ScheduleType } from '../../charge-schedules/schedule-spec.js';
import { execId, vehicleNow } from '../../charge-schedules/schedule-runner.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The charge-schedule-execution resource of vehicle.yml (set-daily-charge-schedule), for one recorded execution. */
function executionResource(vehicleId: string, s: ChargeScheduleRow, e: ChargeScheduleExecutionRow) {
  return {
    id: e.id, type: 'charge-schedule-execution',
    attributes: {
      action: e.action, scheduleType: s.type, status: { value: e.status, ...(e.error ? { error: JSON.parse(e.error) as unknown } : {}) },
      executionMode: 'sync', scheduleId: s.id, parameters: JSON.parse(s.parameters) as unknown,
    },
    links: { schedule: `/vehicles/${vehicleId}/charge-schedules/${s.id}` },
    meta: { executedAt: iso(e.executed_at), completedAt: iso(e.completed_at), durationInSeconds: Math.round((e.completed_at - e.executed_at) / 10) / 100 },
  };
}

/**
 * API v3 charge schedules, run by the platform for every EV that can start and stop charging
 * (Smartcar passes them to Tesla and Volvo only). A vehicle without a traction battery or without
 * charge control answers 501 COMPATIBILITY VEHICLE_NOT_CAPABLE.
 */
export function v3ChargeScheduleRoutes(app: FastifyInstance, deps: ApiDeps, repo: ChargeSchedulesRepo): void {
  const errorHandler = v3ErrorHandler(deps.config.publicUrl, deps.secretKey);
  const tags = ['Charge schedules (v3)'];
  const open = async (req: Parameters<typeof openV3Vehicle>[1], endpoint: string) => {
    const v = await openV3Vehicle(deps, req, endpoint, true);
    req.apiCall!.requestClass = 'command';
    requirePermission({ permission: 'control_charge' }, v.access);
    if (!v.caps.has('battery') || !v.caps.has('charge_control') || !v.connector.chargeControl) {
      throw new ApiError('COMPATIBILITY:VEHICLE_NOT_CAPABLE', { description: 'Charge schedules need an electric vehicle that can start and stop charging.' });
    }
    return v;
  };

  for (const type of SCHEDULE_TYPES) {
    const url = `/v3/vehicles/:id/charge-schedules/${type}`;
    app.post(url, {
      errorHandler,
      schema: {
        tags, summary: `Create a ${type} charge schedule`,
        description: 'Permission `control_charge`; `sc-user-id` with an application token. Body `{"data":{"attributes":{location, '
          + (type === 'daily' ? 'startTime, stopTime' : type === 'weekly' ? 'days: {monday: {startTime, stopTime}, …}' : 'weekdays: {startTime, stopTime}, weekends: {startTime, stopTime}')
          + '}}}`, times `HH:MM` on the vehicle clock (UTC). The platform starts and stops charging at those times. Answers the charge-schedule-execution resource. One billable request.',
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      },
    }, async (req, res) => {
      const endpoint = `POST ${url}`;
      const { access, vehicleId, connector, ctx } = await open(req, endpoint);
      const attrs = attributesOf(req.body);
      const windows = parseSchedule(type as ScheduleType, attrs);
      res.headers(await deps.metering.admit({ appId: access.appId, vehicleId, endpoint, units: 1, requestId: req.id }));
      const now = deps.clock.now();
      const first = nextEvent(windows, await vehicleNow(connector, ctx, deps.clock));
      const s: ChargeScheduleRow = {
        id: `sched_${uuid().replace(/-/g, '')}`, app_id: access.appId, user_id: access.userId, vehicle_id: vehicleId, type,
        parameters: JSON.stringify(attrs), next_at: first.at, next_action: first.action, created_at: now, deleted_at: null,
      };
      const e: ChargeScheduleExecutionRow = { id: execId(), schedule_id: s.id, action: 'create', status: 'SUCCESS', error: null, due_at: null, executed_at: now, completed_at: deps.clock.now() };
      await repo.create(s, e);
      return { data: executionResource(vehicleId, s, e) };
    });
  }

  const one = { type: 'object', properties: { id: { type: 'string' }, scheduleId: { type: 'string' } }, required: ['id', 'scheduleId'] };
  app.delete('/v3/vehicles/:id/charge-schedules/:scheduleId', {
    errorHandler, schema: { tags, summary: 'Delete a charge schedule', description: 'Answers the charge-schedule-execution resource of the deletion. One billable request.', params: one },
  }, async (req, res) => {
    const endpoint = 'DELETE /v3/vehicles/:id/charge-schedules/:scheduleId';
    const { access, vehicleId } = await open(req, endpoint);
    const s = await repo.get(access.appId, vehicleId, (req.params as { scheduleId: string }).scheduleId);
    if (!s || s.user_id !== access.userId) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No charge schedule with this id on this vehicle.' });
    res.headers(await deps.metering.admit({ appId: access.appId, vehicleId, endpoint, units: 1, requestId: req.id }));
    const now = deps.clock.now();
    const e: ChargeScheduleExecutionRow = { id: execId(), schedule_id: s.id, action: 'delete', status: 'SUCCESS', error: null, due_at: null, executed_at: now, completed_at: now };
    if (!(await repo.remove(s.id, now, e))) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No charge schedule with this id on this vehicle.' });
    return { data: executionResource(vehicleId, s, e) };
  });

  app.get('/v3/vehicles/:id/charge-schedules/:scheduleId/executions', {
    errorHandler, schema: { tags, summary: 'Executions of a charge schedule', description: 'Its creation and every start and stop the platform sent, oldest first, with their outcome. Free.', params: one },
  }, async (req, res) => {
    const endpoint = 'GET /v3/vehicles/:id/charge-schedules/:scheduleId/executions';
    const { access, vehicleId } = await open(req, endpoint);
    req.apiCall!.units = 0;
    const s = await repo.get(access.appId, vehicleId, (req.params as { scheduleId: string }).scheduleId);
    if (!s || s.user_id !== access.userId) throw new ApiError('RESOURCE_NOT_FOUND:PATH', { description: 'No charge schedule with this id on this vehicle.' });
    res.headers(await deps.metering.admit({ appId: access.appId, vehicleId, endpoint, units: 0, requestId: req.id }));
    return { data: (await repo.executions(s.id)).map((e) => executionResource(vehicleId, s, e)) };
  });
}
