/**
 * The browser's file picker, hidden behind the app's own buttons: in browser mode a button clicks
 * it by id (Electron uses its native dialog instead). The value is cleared after each pick, so
 * picking the same file twice still reports it.
 */

/** Props of HiddenFileInput. */
interface HiddenFileInputProps {
  readonly id: string;
  readonly accept: string;
  /** Accessible name, for tests and assistive technology. */
  readonly label: string;
  readonly onFile: (file: File) => void;
}

/** A hidden `<input type=file>` that hands the picked file to `onFile`. */
export function HiddenFileInput({ id, accept, label, onFile }: HiddenFileInputProps) {
  return (
    <input
      id={id}
      type="file"
      accept={accept}
      hidden
      aria-label={label}
      onChange={(e) => {
        const file = e.target.files?.[0];
        if (file) onFile(file);
        e.target.value = '';
      }}
    />
  );
}
