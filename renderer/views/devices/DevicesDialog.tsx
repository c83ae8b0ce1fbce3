/**
 * The Devices dialog: the devices reached over SSH with their state, check and remove each, and add
 * one by name and address. Strata uses the user's own SSH setup and never asks for a password.
 */
import { useState } from 'react';
import { deviceAddress } from '../../../shared/devices.js';
import { formatBytes } from '../../../shared/format.js';
import { useAppStore } from '../../store/index.js';
import { deviceStateText, deviceSummary } from './device-state.js';
import './devices.css';

/** The dialog, shown while `devicesOpen`. */
export function DevicesDialog() {
  const open = useAppStore((s) => s.devicesOpen);
  const devices = useAppStore((s) => s.devices);
  const checks = useAppStore((s) => s.deviceChecks);
  const { openDevices, addDevice, removeDevice, checkDevice } = useAppStore.getState();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  if (!open) return null;
  const add = async () => {
    if (await addDevice(name, address)) {
      setName('');
      setAddress('');
    }
  };
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), openDevices(false))}>
      <div className="modal devices-dialog" role="dialog" aria-modal="true" aria-label="Devices">
        <header>
          <h2>Devices</h2>
          <button type="button" onClick={() => openDevices(false)} aria-label="Close devices">
            Close
          </button>
        </header>
        <p className="muted">
          Profile on your own devices over SSH. Strata uses your SSH config, agent, keys and known_hosts, and needs only
          Node 20+ on the device; it copies its engine there once. Accept a new device&apos;s host key once with{' '}
          <code>ssh user@host</code> first.
        </p>
        {devices.length === 0 ? (
          <p className="muted">No devices yet.</p>
        ) : (
          <table className="devices-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Address</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => {
                const check = checks[d.name];
                const done = check && check !== 'checking' ? check : null;
                return (
                  <tr key={d.name}>
                    <td>{d.name}</td>
                    <td className="mono">{deviceAddress(d)}</td>
                    <td>
                      <span className={`device-state state-${done?.state ?? 'none'}`}>{deviceStateText(check)}</span>
                      {done && <div className="muted device-facts">{deviceSummary(done, formatBytes)}</div>}
                      {done?.problem && <div className="device-problem">{done.problem}</div>}
                    </td>
                    <td className="device-actions">
                      <button
                        type="button"
                        disabled={check === 'checking'}
                        onClick={() => void checkDevice(d.name)}
                        aria-label={`Check ${d.name}`}
                      >
                        Check
                      </button>
                      <button type="button" onClick={() => void removeDevice(d.name)} aria-label={`Remove ${d.name}`}>
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <form
          className="device-add"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <label className="field">
            <span>Name</span>
            <input aria-label="Device name" value={name} placeholder="pi5" onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field wide">
            <span>SSH address</span>
            <input
              aria-label="SSH address"
              value={address}
              placeholder="ssh://user@host:22 or a Host alias"
              onChange={(e) => setAddress(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={!name.trim() || !address.trim()}>
            Add device
          </button>
        </form>
      </div>
    </div>
  );
}
