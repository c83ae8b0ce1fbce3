/**
 * Choosing the second decoder of a comparison (say the int8 variant from Compare, or an fp16-cache
 * export): the native dialog in the desktop app, a file input in browser mode. The Generation view
 * runs the comparison as soon as one is chosen; the Compare view shows the choice beside its Run button.
 */
import { isDesktopApp } from '../../api/platform.js';
import { useAppStore } from '../../store/index.js';

const TITLE =
  'Profile this decoder and another with these settings, in alternating rounds for the speeds (the draft is left out), and compare them side by side';

/** The Generation view's "Compare with another decoder": picks one, then profiles both. */
export function CompareWithDecoder({ disabled }: { readonly disabled: boolean }) {
  const { pickGenerateVs, setGenerateVsFile, startGenerateVs } = useAppStore.getState();
  if (isDesktopApp())
    return (
      <button
        type="button"
        disabled={disabled}
        title={TITLE}
        onClick={() => void pickGenerateVs().then((picked) => (picked ? startGenerateVs() : undefined))}
      >
        Compare with another decoder…
      </button>
    );
  return (
    <label className="generate-vs" title={TITLE}>
      Compare with another decoder:{' '}
      <input
        aria-label="Decoder to compare"
        type="file"
        accept=".onnx"
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void setGenerateVsFile(file).then((picked) => (picked ? startGenerateVs() : undefined));
          e.target.value = '';
        }}
      />
    </label>
  );
}

/** The Compare view's choice of decoder B: the file chosen (with a way to choose another), or a picker. */
export function SecondDecoderPicker({ disabled }: { readonly disabled: boolean }) {
  const vs = useAppStore((s) => s.generateVs);
  const { pickGenerateVs, setGenerateVsFile, clearGenerateVs } = useAppStore.getState();
  return (
    <div className="generate-draft">
      <span>Decoder B</span>
      {vs ? (
        <span className="generate-draft-name" title={vs.path}>
          {vs.fileName}{' '}
          <button type="button" className="link-button" disabled={disabled} onClick={clearGenerateVs}>
            remove
          </button>
        </span>
      ) : isDesktopApp() ? (
        <button type="button" disabled={disabled} onClick={() => void pickGenerateVs()}>
          Choose decoder B…
        </button>
      ) : (
        <input
          aria-label="Decoder B file"
          type="file"
          accept=".onnx"
          disabled={disabled}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void setGenerateVsFile(file);
          }}
        />
      )}
    </div>
  );
}
