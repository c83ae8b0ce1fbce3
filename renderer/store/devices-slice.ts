/**
 * Devices reached over SSH: the list, their last check, where the next profile runs ("Run on"),
 * the Devices dialog, and a devices comparison (the open model on several devices side by side).
 */
import type { StateCreator } from 'zustand/vanilla';
import { LOCAL_DEVICE, type Device, type DeviceCheck } from '../../shared/devices.js';
import type { AppState, StoreDeps } from './app-state.js';

/** The devices side of the store. */
export interface DevicesSlice {
  devices: Device[];
  /** The last check of each device by name; 'checking' while one runs. */
  deviceChecks: Readonly<Record<string, DeviceCheck | 'checking'>>;
  /** Where Run profile runs: "local" (this machine) or a device's name. */
  runOn: string;
  devicesOpen: boolean;
  /** The devices ticked for a devices comparison ("local" included when ticked). */
  compareOn: string[];
  loadDevices(): Promise<void>;
  addDevice(name: string, address: string): Promise<boolean>;
  removeDevice(name: string): Promise<void>;
  checkDevice(name: string): Promise<void>;
  setRunOn(name: string): void;
  openDevices(open: boolean): void;
  toggleCompareOn(name: string, on: boolean): void;
  startDevicesCompare(): Promise<void>;
}

/** The devices slice. */
export const createDevicesSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], DevicesSlice> =>
  (set, get) => ({
    devices: [],
    deviceChecks: {},
    runOn: LOCAL_DEVICE,
    devicesOpen: false,
    compareOn: [LOCAL_DEVICE],

    async loadDevices() {
      const result = await deps.api().invoke('devices:list');
      if (!result.ok) return get().showError(result.error);
      const devices = [...result.value];
      const names = new Set(devices.map((d) => d.name));
      set({
        devices,
        // A removed device is no longer where runs go.
        runOn: names.has(get().runOn) ? get().runOn : LOCAL_DEVICE,
        compareOn: get().compareOn.filter((n) => n === LOCAL_DEVICE || names.has(n)),
      });
    },

    async addDevice(name, address) {
      const result = await deps.api().invoke('devices:add', { name: name.trim(), address: address.trim() });
      if (!result.ok) {
        get().showError(result.error);
        return false;
      }
      set({ error: null });
      await get().loadDevices();
      void get().checkDevice(result.value.name);
      return true;
    },

    async removeDevice(name) {
      const result = await deps.api().invoke('devices:remove', name);
      if (!result.ok) return get().showError(result.error);
      const checks = { ...get().deviceChecks };
      delete checks[name];
      set({ deviceChecks: checks });
      await get().loadDevices();
    },

    async checkDevice(name) {
      set({ deviceChecks: { ...get().deviceChecks, [name]: 'checking' } });
      const result = await deps.api().invoke('devices:check', name);
      const checks = { ...get().deviceChecks };
      if (result.ok) checks[name] = result.value;
      else delete checks[name];
      set({ deviceChecks: checks });
      if (!result.ok) get().showError(result.error);
    },

    setRunOn(name) {
      set({ runOn: name });
      if (name !== LOCAL_DEVICE && !get().deviceChecks[name]) void get().checkDevice(name);
    },

    openDevices(open) {
      set({ devicesOpen: open });
      if (open) void get().loadDevices();
    },

    toggleCompareOn(name, on) {
      const rest = get().compareOn.filter((n) => n !== name);
      set({ compareOn: on ? [...rest, name] : rest });
    },

    async startDevicesCompare() {
      const { summary, plan, compareOn, compareProgress } = get();
      if (!summary || compareProgress) return;
      if (compareOn.length < 2)
        return get().showError({ code: 'BAD_ARGUMENT', message: 'Tick at least two devices to compare.' });
      // This machine first when ticked: the baseline the others are measured against.
      const order = [...compareOn].sort((a, b) => (a === LOCAL_DEVICE ? -1 : b === LOCAL_DEVICE ? 1 : 0));
      set({
        error: null,
        notice: null,
        compareProgress: { stage: 'profile', model: 0, models: order.length, progress: null },
      });
      const started = await deps.api().invoke('compare:devices', { modelPath: summary.path, devices: order, plan });
      if (!started.ok) {
        set({ compareProgress: null });
        return get().showError(started.error);
      }
      // Cancelled while starting: stop the run that just began.
      if (get().compareProgress === null) return void deps.api().invoke('profile:cancel', started.value.runId);
      set({ compareRunId: started.value.runId });
    },
  });
