/**
 * `strata devices add NAME ssh://user@host[:port] | list | check [NAME...] | remove NAME`: the
 * user's own machines, reached with their own SSH setup (see `strata devices --help`).
 */
import { StrataError } from '../../shared/errors.js';
import { deviceAddress, type DeviceCheck } from '../../shared/devices.js';
import { formatBytes } from '../../shared/format.js';
import { checkDevice } from '../core/devices/deploy.js';
import { addDevice, getDevice, listDevices, removeDevice } from '../core/devices/device-store.js';
import { parseStrict } from './args.js';
import { terminalLine } from './terminal.js';

/** Runs `strata devices ...`; returns the exit code. */
export async function runDevicesCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseStrict(argv, { json: { type: 'boolean' } });
  const [action, ...rest] = positionals;
  const out = (text: string) => process.stdout.write(`${text}\n`);
  switch (action) {
    case 'add': {
      if (rest.length !== 2) throw usage('Usage: strata devices add NAME ssh://user@host[:port].');
      const device = await addDevice(rest[0]!, rest[1]!);
      out(`Added ${device.name} (${deviceAddress(device)}). Check it with \`strata devices check ${device.name}\`.`);
      return 0;
    }
    case 'list': {
      const devices = await listDevices();
      if (values.json) out(JSON.stringify(devices, null, 2));
      else if (devices.length === 0) out('No devices yet. Add one with `strata devices add NAME ssh://user@host`.');
      else for (const d of devices) out(`${d.name.padEnd(16)}  ${deviceAddress(d)}`);
      return 0;
    }
    case 'check': {
      const names = rest.length ? rest : (await listDevices()).map((d) => d.name);
      if (names.length === 0)
        throw usage('No devices to check: add one with `strata devices add NAME ssh://user@host`.');
      const devices = await Promise.all(names.map(getDevice));
      const checks = await Promise.all(devices.map(checkDevice));
      if (values.json) out(JSON.stringify(checks, null, 2));
      else for (const c of checks) out(formatCheck(c));
      return checks.every((c) => c.state === 'ok') ? 0 : 1;
    }
    case 'remove': {
      if (rest.length !== 1) throw usage('Usage: strata devices remove NAME.');
      await removeDevice(rest[0]!);
      out(
        `Removed ${rest[0]}. What Strata put on it stays in ~/.cache/strata there; delete that folder to free the space.`,
      );
      return 0;
    }
    default:
      throw usage(
        `${action === undefined ? 'No action given' : `Unknown action "${terminalLine(action, 40)}"`}. Use: strata devices add|list|check|remove (strata devices --help).`,
      );
  }
}

/** One device's check as a few lines. */
export function formatCheck(c: DeviceCheck): string {
  const lines = [`${c.name}: ${c.state === 'ok' ? 'ready' : c.state}`];
  if (c.os) lines.push(`  system   ${c.os} ${c.arch ?? ''}`);
  if (c.cpu) lines.push(`  cpu      ${c.cpu}${c.threads ? `, ${c.threads} threads` : ''}`);
  if (c.memoryBytes) lines.push(`  memory   ${formatBytes(c.memoryBytes)}`);
  lines.push(`  node     ${c.nodeVersion ?? 'none'}`);
  if (c.engineDir) lines.push(`  engine   ~/${c.engineDir}`);
  if (c.state === 'ok') lines.push(`  eps      ${c.usableEps.join(', ') || 'none'}`);
  if (c.problem) lines.push(`  ${terminalLine(c.problem, 2000)}`);
  return lines.join('\n');
}

function usage(message: string): StrataError {
  return new StrataError('BAD_ARGUMENT', message);
}
