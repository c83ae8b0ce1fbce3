/** The top bar: open (button, file input, recent files), the model's name, export. */
import type { ExportFormat } from '../../../shared/api.js';
import { pickFile } from '../../api/platform.js';
import { HiddenFileInput } from '../../components/hidden-file-input.js';
import { MenuButton } from '../../components/menu-button.js';
import { useAppStore } from '../../store/index.js';

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'html', label: 'HTML report (self-contained)' },
  { format: 'json', label: 'JSON (opens back in Strata)' },
  { format: 'csv', label: 'CSV (one row per layer)' },
  { format: 'trace', label: 'Chrome trace (Perfetto)' },
];

/** The top bar. */
export function TopBar() {
  const recent = useAppStore((s) => s.recent);
  const report = useAppStore((s) => s.report);
  const opening = useAppStore((s) => s.opening);
  const view = useAppStore((s) => s.view);
  const open = () => pickFile(useAppStore.getState().pickModel, 'open-model-input');

  return (
    <header className="topbar">
      <span className="brand">Strata</span>
      <button
        type="button"
        className="primary"
        onClick={open}
        aria-label="Open model"
        title="Open an ONNX model or a saved report (Ctrl+O)"
      >
        Open model…
      </button>
      <HiddenFileInput
        id="open-model-input"
        accept=".onnx,.json"
        label="Model file"
        onFile={(file) => void useAppStore.getState().openFile(file)}
      />
      <MenuButton
        items={recent.map((r) => ({
          key: r.path,
          title: r.path,
          content: (
            <>
              {r.fileName}
              <span className="menu-detail">{r.path}</span>
            </>
          ),
          onSelect: () => void useAppStore.getState().openPath(r.path),
        }))}
        empty="No recent models yet."
      >
        Recent ▾
      </MenuButton>
      <nav className="view-switch segmented" aria-label="Workspace">
        <button
          type="button"
          aria-pressed={view === 'profile'}
          onClick={() => useAppStore.getState().setView('profile')}
          title="Profile the open model"
        >
          Profile
        </button>
        <button
          type="button"
          aria-pressed={view === 'compare'}
          onClick={() => useAppStore.getState().setView('compare')}
          title="Compare the open model with its quantized, fp16, pruned or distilled variants"
        >
          Compare
        </button>
        <button
          type="button"
          aria-pressed={view === 'generate'}
          onClick={() => useAppStore.getState().setView('generate')}
          title="Profile a decoder's generation: prefill, decode over the KV cache, speculative pairs"
        >
          Generation
        </button>
      </nav>
      <span className="topbar-status">
        {opening
          ? `Opening ${opening}…`
          : report
            ? `Report: ${report.model.fileName}${report.device.name ? ` on ${report.device.name}` : ''}, ${new Date(report.createdAt).toLocaleString()}`
            : ''}
      </span>
      <MenuButton
        ariaLabel="Export report"
        disabled={!report}
        align="right"
        items={FORMATS.map((f) => ({
          key: f.format,
          content: f.label,
          onSelect: () => void useAppStore.getState().exportReport(f.format),
        }))}
      >
        Export report ▾
      </MenuButton>
    </header>
  );
}
