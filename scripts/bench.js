// `npm run bench`: our pix2pix training bench beside the PyTorch peer, on this machine, and the ratio.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const PEER = process.env.GANSTUDIO_PEER ?? join(ROOT, '..', 'shared', 'bench', 'torch_peer.py');
const PYTHON = process.env.GANSTUDIO_PYTHON ?? '/usr/bin/python3';
const size = process.env.BENCH_SIZE ?? '128';
const steps = process.env.BENCH_STEPS ?? '3';

function lastJsonLine(text) {
  const lines = text
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'));
  return lines.length ? JSON.parse(lines.at(-1)) : null;
}

const ours = spawnSync(
  process.execPath,
  [
    join(ROOT, 'bin', 'ganstudio.js'),
    'bench',
    'train',
    '--model',
    'pix2pix',
    '--size',
    size,
    '--steps',
    steps,
    '--json',
  ],
  {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const mine = lastJsonLine(ours.stdout ?? '');
if (!mine || ours.status !== 0) {
  console.error('ganstudio bench failed');
  process.exit(1);
}
console.log(JSON.stringify(mine));

if (!existsSync(PEER)) {
  console.log(`peer: ${PEER} not found; set GANSTUDIO_PEER to compare.`);
  process.exit(0);
}
const peerRun = spawnSync(PYTHON, [PEER, '--case', 'pix2pix', '--size', size, '--steps', steps], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
const peer = lastJsonLine(peerRun.stdout ?? '');
if (!peer) {
  const why = (peerRun.stderr ?? '').trim().split('\n').at(-1) || peerRun.error?.message || 'no output';
  console.log(`peer: could not run ${PYTHON} ${PEER} (${why}); on Debian: apt-get install python3-torch`);
  process.exit(0);
}
console.log(JSON.stringify(peer));
const ratio = mine.train_img_per_s / peer.train_img_per_s;
console.log(
  `pix2pix ${size}px train: ours ${mine.train_step_s} s/step (${mine.backend}) vs peer ${peer.train_step_s} s/step (torch ${peer.torch}, ${peer.threads} threads): ` +
    `ratio ${ratio.toFixed(2)}× the peer's steps/s; inference ${mine.infer_ms} ms vs ${peer.infer_ms} ms (tfjs; ONNX Runtime comes with export)`,
);
