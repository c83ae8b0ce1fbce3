/**
 * The Content-Security-Policy of the app's page, the same in both front doors: the Electron window
 * (strata:// responses) and browser mode (strata serve). Only the app's own files; no eval, no
 * frames, no form posts.
 */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
