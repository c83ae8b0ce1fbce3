/**
 * The devices the user added, in `devices.json` in the config folder (atomic writes, one entry per
 * name), and the parsing of their SSH addresses.
 */
import { StrataError } from '../../../shared/errors.js';
import { DEVICE_NAME, LOCAL_DEVICE, type Device } from '../../../shared/devices.js';
import { readConfigEntries, removeConfigEntry, writeConfigEntry } from '../config-file.js';

const FILE = 'devices.json';

/**
 * `ssh://user@host:port`, `user@host`, `host:port` or an ssh_config Host alias -> host, user, port.
 * Throws BAD_ARGUMENT naming the form expected.
 */
export function parseDeviceAddress(raw: string): Pick<Device, 'host' | 'user' | 'port'> {
  const text = raw.trim();
  const bad = () =>
    new StrataError(
      'BAD_ARGUMENT',
      `"${raw}" is not an SSH address. Write ssh://user@host[:port], user@host, or a Host alias from your ssh_config.`,
    );
  const match = /^(?:ssh:\/\/)?(?:([^@/:\s]+)@)?(\[[0-9a-fA-F:]+\]|[^@/:\s[\]]+)(?::(\d{1,5}))?\/?$/.exec(text);
  if (!match || text.startsWith('-')) throw bad();
  const [, user, rawHost, rawPort] = match;
  const host = rawHost!.replace(/^\[|\]$/g, '');
  if (host.startsWith('-')) throw bad();
  const port = rawPort === undefined ? undefined : Number(rawPort);
  if (port !== undefined && (port < 1 || port > 65535)) throw bad();
  return { host, ...(user ? { user } : {}), ...(port ? { port } : {}) };
}

/** Throws BAD_ARGUMENT unless `name` can name a device. */
export function checkDeviceName(name: string): void {
  if (name.toLowerCase() === LOCAL_DEVICE)
    throw new StrataError('BAD_ARGUMENT', `"${LOCAL_DEVICE}" means this machine; give the device another name.`);
  if (!DEVICE_NAME.test(name))
    throw new StrataError(
      'BAD_ARGUMENT',
      `"${name}" cannot name a device: use up to 32 letters, digits, - and _ (e.g. pi5, jetson-1).`,
    );
}

/** Every added device, by name. */
export async function listDevices(): Promise<Device[]> {
  const all = await readConfigEntries<Device>(FILE);
  return Object.values(all).sort((a, b) => a.name.localeCompare(b.name));
}

/** Adds (or replaces) device `name` at `address`. */
export async function addDevice(name: string, address: string): Promise<Device> {
  checkDeviceName(name);
  const device: Device = { name, ...parseDeviceAddress(address), addedAt: new Date().toISOString() };
  await writeConfigEntry(FILE, name, device);
  return device;
}

/** Removes device `name`; throws BAD_ARGUMENT when there is none. */
export async function removeDevice(name: string): Promise<void> {
  if (!(await removeConfigEntry(FILE, name))) throw unknownDevice(name, await listDevices());
}

/** The device named `name`; throws BAD_ARGUMENT naming the added ones when there is none. */
export async function getDevice(name: string): Promise<Device> {
  const devices = await listDevices();
  const device = devices.find((d) => d.name === name);
  if (!device) throw unknownDevice(name, devices);
  return device;
}

function unknownDevice(name: string, devices: readonly Device[]): StrataError {
  return new StrataError(
    'BAD_ARGUMENT',
    devices.length === 0
      ? `No device is named "${name}": none has been added. Add one with \`strata devices add ${DEVICE_NAME.test(name) ? name : 'NAME'} ssh://user@host\`.`
      : `No device is named "${name}". Added: ${devices.map((d) => d.name).join(', ')} (strata devices list).`,
  );
}
