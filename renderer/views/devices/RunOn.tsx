/** "Run on": this machine or an added device (with its state), and the button to manage devices. */
import { LOCAL_DEVICE } from '../../../shared/devices.js';
import { useAppStore } from '../../store/index.js';
import { deviceStateText } from './device-state.js';
import './devices.css';

/** The Run-on field of the run settings. */
export function RunOn({ disabled }: { readonly disabled: boolean }) {
  const devices = useAppStore((s) => s.devices);
  const checks = useAppStore((s) => s.deviceChecks);
  const runOn = useAppStore((s) => s.runOn);
  const { setRunOn, openDevices } = useAppStore.getState();
  const check = runOn === LOCAL_DEVICE ? undefined : checks[runOn];
  return (
    <div className="run-on">
      <label className="field">
        <span>Run on</span>
        <select aria-label="Run on" value={runOn} disabled={disabled} onChange={(e) => setRunOn(e.target.value)}>
          <option value={LOCAL_DEVICE}>This machine</option>
          {devices.map((d) => (
            <option key={d.name} value={d.name}>
              {d.name} ({deviceStateText(checks[d.name])})
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => openDevices(true)} aria-label="Manage devices">
        Devices…
      </button>
      {check && check !== 'checking' && check.problem && (
        <p className="device-problem" role="status">
          {check.problem}
        </p>
      )}
    </div>
  );
}
