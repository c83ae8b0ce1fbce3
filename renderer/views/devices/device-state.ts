/** How a device's last check reads in the Run-on choice, the Devices dialog and Compare. */
import type { DeviceCheck } from '../../../shared/devices.js';

/** "ready", "checking…", "not checked", "unreachable", "no Node", "unsupported". */
export function deviceStateText(check: DeviceCheck | 'checking' | undefined): string {
  if (check === undefined) return 'not checked';
  if (check === 'checking') return 'checking…';
  switch (check.state) {
    case 'ok':
      return 'ready';
    case 'no-node':
      return 'no Node';
    default:
      return check.state;
  }
}

/** "Linux aarch64 · Cortex-A76, 4 threads · 8 GiB · Node v22.1.0 · cpu" once checked. */
export function deviceSummary(check: DeviceCheck, formatBytes: (n: number) => string): string {
  return [
    check.os && `${check.os} ${check.arch ?? ''}`.trim(),
    check.cpu && `${check.cpu}${check.threads ? `, ${check.threads} threads` : ''}`,
    check.memoryBytes && formatBytes(check.memoryBytes),
    check.nodeVersion && `Node ${check.nodeVersion}`,
    check.usableEps.length > 0 && `EPs ${check.usableEps.join(', ')}`,
  ]
    .filter(Boolean)
    .join(' · ');
}
