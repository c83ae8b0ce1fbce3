/** The top bar: open (button, file input, recent files), the model's name, export. */
import { useState } from 'react';
import type { ExportFormat } from '../../../shared/api.js';
import { useAppStore } from '../../store/index.js';

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'html', label: 'HTML report (self-contained)' },
  { format: 'json', label: 'JSON (opens back in Strata)' },
  { format: 'csv', label: 'CSV (one row per layer)' },
  { format: 'trace', label: 'Chrome trace (Perfetto)' },
];

/** The top bar. */
export function TopBar() {
  const info = useAppStore((s) => s.info);
  const recent = useAppStore((s) => s.recent);
  const report = useAppStore((s) => s.report);
  const opening = useAppStore((s) => s.opening);
  const view = useAppStore((s) => s.view);
  const [menu, setMenu] = useState<'recent' | 'export' | null>(null);
  const electron = info?.mode === 'electron';

  const open = () => {
    if (electron) void useAppStore.getState().pickModel();
    else document.getElementById('open-model-input')?.click();
  };

  return (
    <header className="topbar">
      <span className="brand">Strata</span>
      <button type="button" className="primary" onClick={open} aria-label="Open model" title="Open an ONNX model or a saved report (Ctrl+O)">
        Open model…
      </button>
      <input
        id="open-model-input"
        type="file"
        accept=".onnx,.json"
        hidden
        aria-label="Model file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void useAppStore.getState().openFile(file);
          e.target.value = '';
        }}
      />
      <div className="menu-wrap">
        <button type="button" onClick={() => setMenu(menu === 'recent' ? null : 'recent')} aria-haspopup="menu" aria-expanded={menu === 'recent'}>
          Recent ▾
        </button>
        {menu === 'recent' && (
          <ul className="menu" role="menu" onMouseLeave={() => setMenu(null)}>
            {recent.length === 0 && <li className="menu-empty">No recent models yet.</li>}
            {recent.map((r) => (
              <li key={r.path} role="none">
                <button type="button" role="menuitem" title={r.path} onClick={() => { setMenu(null); void useAppStore.getState().openPath(r.path); }}>
                  {r.fileName}
                  <span className="menu-detail">{r.path}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <nav className="view-switch segmented" aria-label="Workspace">
        <button type="button" aria-pressed={view === 'profile'} onClick={() => useAppStore.getState().setView('profile')} title="Profile the open model">
          Profile
        </button>
        <button type="button" aria-pressed={view === 'compare'} onClick={() => useAppStore.getState().setView('compare')} title="Compare the open model with its quantized, fp16, pruned or distilled variants">
          Compare
        </button>
      </nav>
      <span className="topbar-status">{opening ? `Opening ${opening}…` : report ? `Report: ${report.model.fileName}, ${new Date(report.createdAt).toLocaleString()}` : ''}</span>
      <div className="menu-wrap right">
        <button type="button" disabled={!report} onClick={() => setMenu(menu === 'export' ? null : 'export')} aria-label="Export report" aria-haspopup="menu" aria-expanded={menu === 'export'}>
          Export report ▾
        </button>
        {menu === 'export' && (
          <ul className="menu menu-right" role="menu" onMouseLeave={() => setMenu(null)}>
            {FORMATS.map((f) => (
              <li key={f.format} role="none">
                <button type="button" role="menuitem" onClick={() => { setMenu(null); void useAppStore.getState().exportReport(f.format); }}>
                  {f.label}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </header>
  );
}
