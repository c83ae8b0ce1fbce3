/**
 * A one-line progress bar on a terminal's stderr. Off a terminal (CI logs, pipes) it prints one
 * line per phase instead, so logs stay readable.
 */
import type { ProfileProgress } from '../../shared/progress.js';
import { formatMs } from '../../shared/format.js';
import { terminalLine } from './terminal.js';

/** Renders progress events to a stream; `done()` clears the bar. */
export interface ProgressReporter {
  update(progress: ProfileProgress): void;
  done(): void;
}

/** A reporter for `stream`: a redrawn bar on a TTY, phase lines elsewhere. */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) {
    let lastStep = '';
    return {
      update(p) {
        // A phase, or a step within one ("Measuring this machine once: 1 of 2, caches · ...").
        const step = `${p.phase}|${p.message.split(' · ')[0]}`;
        if (step !== lastStep) {
          lastStep = step;
          stream.write(`strata: ${terminalLine(p.message, 300)}\n`);
        }
      },
      done() {},
    };
  }
  let lastDraw = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      // Redraw at most 20 times a second: fast models emit thousands of events.
      if (now - lastDraw < 50 && p.fraction < 1) return;
      lastDraw = now;
      // `||`, not `??`: some terminals (and pseudo-terminals under CI) report 0 columns.
      stream.write(`\r\x1b[K${renderBar(p, stream.columns || 80)}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

/** The bar's text for a terminal `columns` wide: "[#####-----]  42%  timed run 21 of 50  ~1.2 s left". */
export function renderBar(p: ProfileProgress, columns: number): string {
  const percent = `${Math.round(p.fraction * 100)}%`.padStart(4);
  p = { ...p, message: terminalLine(p.message, 200) };
  const eta = p.etaMs === null ? '' : `  ~${formatMs(p.etaMs)} left`;
  const width = Math.max(10, Math.min(30, columns - percent.length - p.message.length - eta.length - 8));
  const filled = Math.round(Math.min(1, Math.max(0, p.fraction)) * width);
  const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}  ${p.message}${eta}`;
  // One column short of the width, so the cursor never wraps; an unknown width cuts nothing.
  return columns > 1 && line.length > columns - 1 ? line.slice(0, columns - 1) : line;
}
