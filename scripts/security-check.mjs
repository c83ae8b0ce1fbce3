#!/usr/bin/env node
// Runs electronegativity over electron/ (main, preload, ipc) and fails on any finding we have not
// reviewed and accepted below. electronegativity always exits 0, so its report is what we read.
//
// The report is SARIF, not CSV: electronegativity writes its CSV header and rows with two racing
// async writeFile calls, so on a slow machine the header lands over the first row and mangles it
// (CI saw "CSP it may not be valid." as an issue id). SARIF is written in one call.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Reviewed findings, each with why it does not apply.
const ACCEPTED = {
  PRELOAD_JS_CHECK:
    'informational: the preload exposes only the typed API with a channel allowlist (test/unit/electron/security.test.ts)',
  REMOTE_MODULE_JS_CHECK: 'the remote module was removed from Electron in v14; nothing can enable it',
  CSP_GLOBAL_CHECK:
    "the tool cannot see a CSP set on custom-protocol responses; test/unit/electron/main-protocol.test.ts asserts it on the strata:// handler's responses",
};

const out = join(mkdtempSync(join(tmpdir(), 'strata-eneg-')), 'report.sarif');
const run = spawnSync(
  process.execPath,
  ['node_modules/@doyensec/electronegativity/dist/index.js', '-i', 'electron', '-r', '-o', out],
  { encoding: 'utf8' },
);
let sarif;
try {
  sarif = JSON.parse(readFileSync(out, 'utf8'));
} catch (error) {
  console.error(
    `security-check: electronegativity wrote no readable report (${error.message}).\n${run.stdout}\n${run.stderr}`,
  );
  process.exit(1);
}
const findings = (sarif.runs?.[0]?.results ?? []).map((result) => {
  const location = result.locations?.[0]?.physicalLocation;
  return {
    issue: result.ruleId,
    message: result.message?.text ?? '',
    where: `${location?.artifactLocation?.uri ?? '?'}:${location?.region?.startLine ?? '?'}`,
  };
});
// A finding without a check id means the report format changed under us: fail rather than guess.
const malformed = findings.filter((f) => !/^[A-Z0-9_]+$/.test(f.issue ?? ''));
const open = findings.filter((f) => !ACCEPTED[f.issue]);
for (const f of findings) {
  const verdict = ACCEPTED[f.issue] ? `accepted: ${ACCEPTED[f.issue]}` : `OPEN: ${f.message}`;
  console.log(`security-check: ${f.issue} ${f.where} (${verdict})`);
}
if (malformed.length || open.length) {
  console.error(`security-check: ${open.length} unreviewed finding(s); fix them or add a reasoned entry to ACCEPTED.`);
  process.exit(1);
}
console.log(`security-check: ${findings.length} finding(s), all reviewed; Electron checklist holds.`);
