/**
 * A devices comparison in the Compare view: tick this machine and added devices, and the open model
 * runs on each (in parallel), side by side with the statistics of a variant comparison.
 */
import { LOCAL_DEVICE } from '../../../shared/devices.js';
import { useAppStore } from '../../store/index.js';
import { deviceStateText } from './device-state.js';
import './devices.css';

/** The form. */
export function DevicesCompareForm() {
  const summary = useAppStore((s) => s.summary);
  const devices = useAppStore((s) => s.devices);
  const checks = useAppStore((s) => s.deviceChecks);
  const compareOn = useAppStore((s) => s.compareOn);
  const busy = useAppStore((s) => s.compareProgress !== null || s.runId !== null);
  const { toggleCompareOn, startDevicesCompare, openDevices } = useAppStore.getState();
  const choices = [{ name: LOCAL_DEVICE, label: 'This machine', state: '' }].concat(
    devices.map((d) => ({ name: d.name, label: d.name, state: deviceStateText(checks[d.name]) })),
  );
  return (
    <fieldset className="devices-compare" aria-label="Compare on devices">
      <legend>Compare on devices</legend>
      <div className="devices-compare-choices">
        {choices.map((c) => (
          <label key={c.name} className="device-choice">
            <input
              type="checkbox"
              checked={compareOn.includes(c.name)}
              disabled={busy}
              onChange={(e) => toggleCompareOn(c.name, e.target.checked)}
            />
            <span>{c.label}</span>
            {c.state && <span className="muted"> ({c.state})</span>}
          </label>
        ))}
        <button type="button" onClick={() => openDevices(true)}>
          Devices…
        </button>
      </div>
      <button
        type="button"
        className="primary"
        disabled={!summary || busy || compareOn.length < 2}
        onClick={() => void startDevicesCompare()}
      >
        Compare on {compareOn.length} devices
      </button>
      <p className="hint muted">
        The open model with the run settings on each device, in parallel. Runs are not interleaved across devices (they
        cannot be), so speed intervals come from each device&apos;s own runs (unpaired).
      </p>
    </fieldset>
  );
}
