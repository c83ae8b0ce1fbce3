/**
 * Devices: the user's own machines (a Raspberry Pi, a Jetson, a gateway) that Strata reaches over
 * SSH to profile a model on them. Stored in the config folder; what a check found is not stored.
 */

/** The name that means "this machine" wherever a device name is expected (`--on pi,local`). */
export const LOCAL_DEVICE = 'local';

/** A device as stored: a name and where SSH finds it. Never a password: SSH's agent and keys do that. */
export interface Device {
  readonly name: string; // "pi": letters, digits, - and _
  readonly host: string; // a host name, an address, or a Host alias of the user's ssh_config
  readonly user?: string;
  readonly port?: number;
  readonly addedAt: string; // ISO 8601
}

/** What `strata devices check` found on a device. */
export interface DeviceCheck {
  readonly name: string;
  /** `ok`: reachable, authenticated, Node >= 20, engine deployed; otherwise `problem` says what to do. */
  readonly state: 'ok' | 'unreachable' | 'no-node' | 'unsupported';
  readonly problem: string | null;
  readonly os: string | null; // "Linux"
  readonly arch: string | null; // "aarch64"
  readonly cpu: string | null;
  readonly threads: number | null;
  readonly memoryBytes: number | null;
  readonly nodeVersion: string | null; // "v20.19.0"
  /** The engine's folder on the device, once deployed. */
  readonly engineDir: string | null;
  /** Execution providers a trial session worked on there. */
  readonly usableEps: readonly string[];
}

/** Letters, digits, - and _, up to 32: safe in a file name, a shell word and a `--on` list. */
export const DEVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** "user@host:port" (or the alias alone) for messages and lists. */
export function deviceAddress(device: Pick<Device, 'host' | 'user' | 'port'>): string {
  // An IPv6 literal is bracketed before a port, as in ssh:// URLs: [::1]:2222, not ::1:2222.
  const host = device.port && device.host.includes(':') ? `[${device.host}]` : device.host;
  return `${device.user ? `${device.user}@` : ''}${host}${device.port ? `:${device.port}` : ''}`;
}
