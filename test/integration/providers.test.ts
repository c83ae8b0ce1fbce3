// Nodes and time per execution provider in every profile, and the fallback line, on a real WebGPU
// run: Silero VAD on the WebGPU EP over a software Vulkan driver (PLATFORM.md), where a few nodes
// fall back to the CPU.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../electron/core/report/report-json.js';
import { REPO, SILERO_16K } from '../fixtures/paths.js';

const ICD = process.env.VK_ICD_FILENAMES ?? '/usr/lib/chromium/vk_swiftshader_icd.json';

describe.skipIf(!existsSync(ICD))('providers in a WebGPU profile', () => {
  it('reports nodes and time share per EP in JSON and prints the fallback line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-webgpu-'));
    const runtime = process.env.XDG_RUNTIME_DIR ?? join(dir, 'xdg');
    mkdirSync(runtime, { recursive: true, mode: 0o700 });
    const json = join(dir, 'report.json');
    const args = [
      'profile',
      SILERO_16K,
      '--ep',
      'webgpu,cpu',
      '--runs',
      '3',
      '--warmup',
      '0',
      '--input',
      'sr=16000',
      '--shape',
      'input=1x512',
      '--dim',
      'batch=1',
      '--json',
      json,
    ];
    const r = spawnSync(process.execPath, [join(REPO, 'bin', 'strata.js'), ...args], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, VK_ICD_FILENAMES: ICD, XDG_RUNTIME_DIR: runtime },
    });
    expect(r.status, r.stderr).toBe(0);
    const report = parseReport(readFileSync(json, 'utf8'));
    const providers = report.providers!;
    expect(providers.map((p) => p.name).sort()).toEqual(['CPUExecutionProvider', 'WebGpuExecutionProvider']);
    for (const p of providers) {
      expect(p.nodes).toBeGreaterThan(0);
      expect(p.timeShare).toBeGreaterThan(0);
    }
    expect(providers.reduce((s, p) => s + p.nodes, 0)).toBe(report.layers.length);
    // Shares of the run's wall time: with the part in no node (copies, GPU sync) they make the whole.
    const rest = report.fallback!.unattributedShare!;
    expect(rest).toBeGreaterThanOrEqual(0);
    expect(providers.reduce((s, p) => s + p.timeShare, 0) + rest).toBeCloseTo(1, 6);
    const cpu = providers.find((p) => p.name === 'CPUExecutionProvider')!;
    expect(report.fallback!.layers).toHaveLength(cpu.nodes);
    expect(report.fallback!.line).toMatch(
      new RegExp(
        `^WebGPU ran \\d+ of ${report.layers.length} nodes, [<>]?[\\d.]+% of the run time; ${cpu.nodes} nodes? fell back to CPU \\([<>]?[\\d.]+%\\)(; [<>]?[\\d.]+% in no node \\(waiting on the GPU, copies, session overhead\\))?$`,
      ),
    );
    expect(r.stdout).toContain(`EPs      ${report.fallback!.line}`);
    expect(report.diagnostics!.find((d) => d.kind === 'ep-fallback')!.layers).toEqual(report.fallback!.layers);
  });
});
