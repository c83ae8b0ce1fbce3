/**
 * The devices channels of shared/api.ts (list, add, remove, check, a devices comparison) and the
 * device side of `profile:start`, for both front doors. Devices are the user's own SSH targets,
 * stored in the config folder; every run on them is a job of the one job table.
 */
import type { ApiHandlers } from '../../shared/api.js';
import { StrataError, toErrorInfo } from '../../shared/errors.js';
import { LOCAL_DEVICE, type Device } from '../../shared/devices.js';
import type { ProfilePlan } from '../../shared/plan.js';
import { checkDevice } from '../core/devices/deploy.js';
import { compareDeviceReports } from '../core/devices/devices-comparison.js';
import { addDevice, getDevice, listDevices, removeDevice } from '../core/devices/device-store.js';
import { profileOnDevices, resolveDevices } from '../core/devices/run-on-devices.js';
import type { Jobs } from '../core/jobs.js';
import type { ApiContext } from './handlers.js';

type DeviceChannels = 'devices:list' | 'devices:add' | 'devices:remove' | 'devices:check' | 'compare:devices';

/** The device named in a profile request, or null for this machine; throws BAD_ARGUMENT for an unknown one. */
export async function requestedDevice(name: unknown): Promise<Device | null> {
  if (name === undefined || name === null || name === '' || name === LOCAL_DEVICE) return null;
  if (typeof name !== 'string') throw new StrataError('BAD_ARGUMENT', 'The device must be a name.');
  return getDevice(name);
}

/** The handlers of the devices channels. `checkModel` applies the front door's file rules to a path. */
export function createDeviceHandlers(
  ctx: ApiContext,
  jobs: Jobs,
  checkModel: (path: unknown) => Promise<string>,
  checkPlan: (plan: unknown) => Promise<ProfilePlan>,
): Pick<ApiHandlers, DeviceChannels> {
  return {
    'devices:list': () => listDevices(),
    'devices:add': async (request) => {
      if (!request || typeof request.name !== 'string' || typeof request.address !== 'string')
        throw new StrataError('BAD_ARGUMENT', 'A device needs a name and an SSH address.');
      return addDevice(request.name, request.address);
    },
    'devices:remove': async (name) => {
      await removeDevice(String(name));
      return { removed: true };
    },
    'devices:check': async (name) => checkDevice(await getDevice(String(name))),
    'compare:devices': async (request) => {
      if (!request || !Array.isArray(request.devices) || request.devices.length < 2 || request.devices.length > 16)
        throw new StrataError('BAD_ARGUMENT', 'A devices comparison needs 2 to 16 devices ("local" is this machine).');
      const names = [...new Set(request.devices.map(String))];
      if (names.length < 2) throw new StrataError('BAD_ARGUMENT', 'Choose two different devices to compare.');
      const devices = await resolveDevices(names);
      const modelPath = await checkModel(request.modelPath);
      const plan = await checkPlan(request.plan);
      const fractions = names.map(() => 0);
      let runId = '';
      const job = jobs.start('compare', async (signal) => {
        const outcomes = await profileOnDevices(devices, [modelPath], plan, {
          signal,
          onProgress: (device, progress) => {
            const model = names.indexOf(device);
            fractions[model] = progress.fraction;
            const fraction = fractions.reduce((a, b) => a + b, 0) / names.length;
            ctx.emit('compare:progress', {
              runId,
              stage: 'profile',
              model,
              models: names.length,
              progress: { ...progress, message: `${device}: ${progress.message}` },
              job: { fraction, etaMs: null },
            });
          },
        });
        if (signal.aborted) throw new StrataError('RUN_CANCELLED', 'The devices comparison was cancelled.');
        const failed = outcomes.flatMap((o) => ('error' in o ? [`${o.device}: ${o.error.message}`] : []));
        if (failed.length) throw new StrataError('RUN_FAILED', failed.join(' '));
        return compareDeviceReports(outcomes.map((o) => ('reports' in o ? o.reports[0]! : null)!));
      });
      runId = job.id;
      job.result.then(
        (comparison) => ctx.emit('compare:done', { runId, comparison }),
        (err: unknown) => ctx.emit('compare:failed', { runId, error: toErrorInfo(err) }),
      );
      return { runId };
    },
  };
}
