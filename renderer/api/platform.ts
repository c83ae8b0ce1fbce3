/**
 * The one place the page decides which front door it runs in: the desktop app, whose preload put
 * its bridge at `window.strata` before any script ran, or browser mode (no bridge: the engine is
 * behind a WebSocket). One signal, read here only (lint refuses `window.strata` and comparisons
 * with 'electron' elsewhere in renderer/), so no two places can disagree.
 */
import type { StrataApi } from '../../shared/api.js';

/** What the desktop app's preload exposes: the API, and the real path of a picked or dropped file. */
export type DesktopBridge = StrataApi & { pathForFile?: (file: File) => string };

declare global {
  interface Window {
    strata?: DesktopBridge;
  }
}

/** The desktop app's bridge, or null in browser mode. */
export function desktopBridge(): DesktopBridge | null {
  return (typeof window !== 'undefined' && window.strata) || null;
}

/** True inside the desktop app. */
export function isDesktopApp(): boolean {
  return desktopBridge() !== null;
}

/**
 * Lets the user pick a file the way this front door can: the native open dialog (`native`, in the
 * desktop app, which gives a real path) or the page's file input `inputId` (browser mode uploads it).
 */
export function pickFile(native: () => Promise<void>, inputId: string): void {
  if (isDesktopApp()) void native();
  else document.getElementById(inputId)?.click();
}
