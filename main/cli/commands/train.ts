import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DatasetReport } from '../../engine/datasets/dataset-report';
import { scanDataset } from '../../engine/datasets/scan-dataset';
import { latentDataError } from '../../engine/training/latent-data';
import type { EvalFigures } from '../../engine/training/training-model';
import type { Engine } from '../../engine/engine';
import { runFiles } from '../../engine/training/train-loop';
import { trainConfigSchema, type TrainConfigInput } from '../../engine/training/run-config';
import type { TrainerEvent } from '../../engine/training/trainer-messages';
import type { Output } from '../output';
import { UsageError } from '../output';
import { progressLine } from '../progress-bar';

/** The project that holds runs started from the command line. */
export const CLI_PROJECT = 'Command line';

/** How each baseline names the figures it stands beside: where they are measured, and against what. */
const BASELINE_WORDS = {
  copy: ['held-out', 'copy-the-input'],
  hole: ['inside held-out holes', 'border-mean fill'],
  mean: ['held-out reconstruction G(E(x))', 'mean image'],
} as const;

/** Held-out figures (an eval event's, or `eval`'s), in words. */
export function describeFigures(event: EvalFigures): string {
  const parts: string[] = [];
  if (event.l1 !== undefined) {
    const [where, baseline] = BASELINE_WORDS[event.baseline ?? 'copy'];
    parts.push(
      `${where} L1 ${event.l1.toFixed(4)} (${baseline} ${event.baselineL1?.toFixed(4)}), PSNR ${event.psnr?.toFixed(2)} dB, SSIM ${event.ssim?.toFixed(4)}`,
    );
  }
  if (event.wasserstein !== undefined) {
    parts.push(`critic's Wasserstein estimate ${event.wasserstein.toFixed(4)}`);
  }
  if (event.cycleA !== undefined) {
    parts.push(`cycle L1 A→B→A ${event.cycleA.toFixed(4)}, B→A→B ${event.cycleB?.toFixed(4)}`);
  }
  return parts.join('; ');
}

function describe(event: TrainerEvent): string | null {
  switch (event.type) {
    case 'started':
      return `Training on ${event.backend} (${event.backendDetail}); ${event.totalSteps} steps, ${event.stepsPerEpoch} per epoch${event.resumedFrom !== null ? `, resuming at step ${event.resumedFrom}` : ''}.`;
    case 'sample':
      return `sample: ${event.path}`;
    case 'checkpoint':
      return `checkpoint: ${event.path}`;
    case 'eval':
      return `epoch ${event.epoch + 1}: ${describeFigures(event)}`;
    case 'warning':
      return `warning: ${event.message}`;
    case 'error':
      return `error: ${event.message}`;
    default:
      return null;
  }
}

/**
 * A latent run's data, scanned once before the run is made: a folder with too few images is
 * refused here with the counts, rather than by a trainer that has already started.
 */
async function checkLatentData(config: TrainConfigInput): Promise<DatasetReport | undefined> {
  if (config.model !== 'latent') return undefined;
  const parsed = trainConfigSchema.safeParse(config);
  if (!parsed.success) return undefined;
  const { data, size } = parsed.data;
  if (!existsSync(data.root)) return undefined;
  const report = await scanDataset(data.root, {
    mode: data.mode,
    secondRoot: data.secondRoot,
    cropSize: size,
  });
  const error = latentDataError(report);
  if (error) throw new UsageError(error, 1);
  return report;
}

/**
 * `ganstudio train pix2pix …` or `--resume <runDir>`: runs the trainer process, shows a progress
 * bar with ETA (JSON lines with --json), stops politely on Ctrl+C (checkpoint first).
 */
export async function train(
  engine: Engine,
  request: { config: TrainConfigInput; out?: string } | { resume: string },
  out: Output,
): Promise<number> {
  const tty = !out.json && process.stderr.isTTY;
  let lastProgress: Extract<TrainerEvent, { type: 'progress' }> | null = null;
  let lastPrintedPercent = -1;
  const onEvent = (event: TrainerEvent): void => {
    if (out.json) {
      out.event({ ...event }, '');
      return;
    }
    if (event.type === 'progress') {
      lastProgress = event;
      const note = Object.entries(event.losses)
        .map(([k, v]) => `${k} ${v.toFixed(3)}`)
        .join(' ');
      const line = progressLine(event.step, event.totalSteps, event.itPerSec, event.etaSec, note);
      if (tty) process.stderr.write(`\r${line}\x1b[K`);
      else {
        const percent = Math.floor((event.step / event.totalSteps) * 20) * 5;
        if (percent !== lastPrintedPercent) process.stderr.write(line + '\n');
        lastPrintedPercent = percent;
      }
      return;
    }
    const text = describe(event);
    if (text) process.stderr.write(`${tty && lastProgress ? '\n' : ''}${text}\n`);
  };

  const project = engine.projects.ensure(CLI_PROJECT);
  let runId: string;
  if ('resume' in request) {
    const runDir = resolve(request.resume);
    const configPath = runFiles(runDir).config;
    if (!existsSync(configPath)) throw new UsageError(`${runDir} is not a run folder (no config.json).`);
    const known = engine.training.runs.findByDir(runDir);
    if (known) runId = (await engine.training.resume(known.id, onEvent)).id;
    else {
      const config = trainConfigSchema.parse(JSON.parse(readFileSync(configPath, 'utf8')));
      const created = engine.training.runs.create({
        id: randomUUID(),
        projectId: project.id,
        config,
        runDir,
      });
      runId = (await engine.training.resume(created.id, onEvent)).id;
    }
  } else {
    const report = await checkLatentData(request.config);
    runId = engine.training.start(project.id, request.config, { onEvent, runDir: request.out, report }).id;
  }

  let interrupted = 0;
  const onSignal = (): void => {
    interrupted += 1;
    if (interrupted === 1) {
      process.stderr.write('\nStopping after this step and writing a checkpoint… (Ctrl+C again to kill)\n');
      void engine.training.stop(runId).catch(() => undefined);
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const outcome = await engine.training.outcome(runId);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  const run = engine.training.runs.get(runId);
  const checkpoints = engine.training.runs.checkpoints(runId);
  const metrics = engine.training.runs.metrics(runId);
  const last = (name: string): number | null => metrics[name]?.at(-1)?.[1] ?? null;
  const result = {
    runId,
    runDir: run.runDir,
    status: run.status,
    outcome,
    step: checkpoints.at(-1)?.step ?? 0,
    checkpoint: checkpoints.at(-1)?.path ?? null,
    backend: run.backend,
    val: {
      l1: last('val_l1'),
      baselineL1: last('val_baseline_l1'),
      psnr: last('val_psnr'),
      ssim: last('val_ssim'),
      ...(metrics.val_wasserstein ? { wasserstein: last('val_wasserstein') } : {}),
    },
    error: run.error,
  };
  out.result(
    result,
    `${tty ? '\n' : ''}Run ${run.status}${run.error ? `: ${run.error}` : ''}. Folder: ${run.runDir}${result.checkpoint ? `\nLast checkpoint: ${result.checkpoint} (step ${result.step})` : ''}`,
  );
  return outcome === 'done' || outcome === 'stopped' ? 0 : 1;
}
