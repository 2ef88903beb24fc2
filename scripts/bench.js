// `npm run bench`: our pix2pix and CycleGAN training and pix2pix inference beside the PyTorch peer, on this machine.
// Training: ours (tfjs) vs the peer (PyTorch eager). Inference: our ONNX export in ONNX Runtime vs
// the same peer network exported with torch.onnx.export and timed by the same harness, and vs
// PyTorch eager. Both ONNX graphs are timed in one process, run by run in turn, so that load on
// the machine falls on both alike. Env: BENCH_SIZE (128), BENCH_STEPS (3, training),
// BENCH_INFER_STEPS (30, inference runs of each graph), BENCH_MODELS (pix2pix,cyclegan: the
// training comparisons; inference is compared for pix2pix).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from './build.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'ganstudio.js');
const PEER = process.env.GANSTUDIO_PEER ?? join(ROOT, '..', 'shared', 'bench', 'torch_peer.py');
const EXPORT_PEER = join(ROOT, 'scripts', 'bench', 'export_torch_peer.py');
const PYTHON = process.env.GANSTUDIO_PYTHON ?? '/usr/bin/python3';
const size = process.env.BENCH_SIZE ?? '128';
const steps = process.env.BENCH_STEPS ?? '3';
const inferSteps = process.env.BENCH_INFER_STEPS ?? '30';
const models = (process.env.BENCH_MODELS ?? 'pix2pix,cyclegan').split(',').filter(Boolean);

function lastJsonLine(text) {
  const lines = text
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'));
  return lines.length ? JSON.parse(lines.at(-1)) : null;
}

/** The last line a failed child wrote to stderr, or why it could not start. */
function why(run) {
  return (run.stderr ?? '').trim().split('\n').at(-1) || run.error?.message || 'no output';
}

/** Runs `ganstudio <args> --json` and returns its JSON lines; exits when it fails. */
function ganstudio(args) {
  const run = spawnSync(process.execPath, [CLI, ...args, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = (run.stdout ?? '')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const error = lines.at(-1)?.error;
  if (lines.length === 0 || run.status !== 0 || error) {
    console.error(`ganstudio ${args.join(' ')} failed${error ? `: ${error}` : ''}`);
    process.exit(1);
  }
  return lines;
}

/** `ganstudio bench infer` for the peer's pix2pix case, with extra arguments; its JSON lines. */
function benchInfer(extra = []) {
  return ganstudio(['bench', 'infer', '--model', 'pix2pix', '--size', size, '--steps', inferSteps, ...extra]);
}

function python(args) {
  const run = spawnSync(PYTHON, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { line: run.status === 0 ? lastJsonLine(run.stdout ?? '') : null, run };
}

build();
const trainings = models.map((model) => {
  const mine = ganstudio(['bench', 'train', '--model', model, '--size', size, '--steps', steps]).at(-1);
  console.log(JSON.stringify(mine));
  return { model, mine };
});

if (!existsSync(PEER)) {
  console.log(JSON.stringify(benchInfer().at(-1)));
  console.log(`peer: ${PEER} not found; set GANSTUDIO_PEER to compare.`);
  process.exit(0);
}

// The peer gets as many threads as ONNX Runtime uses here (one per core), so both use every core.
const threads = String(availableParallelism());
let pix2pixPeer = null;
for (const { model, mine } of trainings) {
  const args = [PEER, '--case', model, '--size', size, '--steps', steps, '--threads', threads];
  const { line: peer, run: peerRun } = python(args);
  if (!peer) {
    console.log(JSON.stringify(benchInfer().at(-1)));
    console.log(
      `peer: could not run ${PYTHON} ${PEER} (${why(peerRun)}); on Debian: apt-get install python3-torch`,
    );
    process.exit(0);
  }
  console.log(JSON.stringify(peer));
  if (model === 'pix2pix') pix2pixPeer = peer;
  const ratio = mine.train_img_per_s / peer.train_img_per_s;
  console.log(
    `${model} ${size}px train: ours ${mine.train_step_s} s/step (${mine.backend}, peak RSS ${mine.peak_rss_mb} MB) vs peer ${peer.train_step_s} s/step (torch ${peer.torch}, ${peer.threads} threads): ` +
      `ratio ${ratio.toFixed(2)}× the peer's steps/s (target ≥ 1: ${ratio >= 1 ? 'met' : 'missed'})`,
  );
}
if (!pix2pixPeer) process.exit(0);
const peer = pix2pixPeer;

const dir = mkdtempSync(join(tmpdir(), 'ganstudio-bench-'));
try {
  const file = join(dir, `torch-peer-pix2pix-${size}.onnx`);
  const { line: exported, run: exportRun } = python([
    EXPORT_PEER,
    '--peer',
    PEER,
    '--case',
    'pix2pix',
    '--size',
    size,
    '--out',
    file,
  ]);
  const [ours, torchOrt] = exported ? benchInfer(['--vs', file]).slice(-2) : benchInfer().slice(-1);
  console.log(JSON.stringify(ours));
  if (torchOrt)
    console.log(JSON.stringify({ ...torchOrt, graph: 'torch.onnx.export', torch: exported.torch }));
  else
    console.log(
      `torch.onnx.export: could not export the peer (${why(exportRun)}); compared with eager only.`,
    );
  const where = `${ours.runtime} ${ours.provider}, ${ours.threads} threads, medians of ${ours.steps} alternated runs`;
  if (torchOrt) {
    const slower = ours.infer_ms / torchOrt.infer_ms;
    console.log(
      `pix2pix ${size}px inference (${where}): ours ${ours.infer_ms} ms vs torch.onnx.export ${torchOrt.infer_ms} ms: ` +
        `${slower.toFixed(2)}× its latency (target ≤ 1.10×: ${slower <= 1.1 ? 'met' : 'missed'})`,
    );
  }
  const faster = peer.infer_ms / ours.infer_ms;
  console.log(
    `pix2pix ${size}px inference: ours ${ours.infer_ms} ms vs PyTorch eager ${peer.infer_ms} ms (torch ${peer.torch}, ${peer.threads} threads): ` +
      `${faster.toFixed(1)}× faster (target ≥ 20×: ${faster >= 20 ? 'met' : 'missed'})`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
