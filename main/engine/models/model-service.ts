import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ModelRunResult, ModelView } from '../../../preload/contract';
import type { ProjectStore } from '../catalog/project-store';
import { StudioError } from '../errors';
import { refuseLatent } from '../inference/describe-model';
import type { EventBus } from '../event-bus';
import { decodeImage, writePng } from '../datasets/image-io';
import { MAX_FILL_SIDE } from '../inference/fill-hole';
import { colorizesGray } from '../inference/derived-input';
import { readImageTensor, writeImageTensor } from '../inference/image-tensor';
import type { JobProgress, ModelHost } from '../inference/model-host';
import type { ModelDescription } from '../inference/model-jobs';
import type { RunStore } from '../training/run-store';
import { ModelStore } from './model-store';
import sharp from 'sharp';

/** A direction as an arrow between the domains. */
function arrow(direction: string): string {
  return direction === 'BtoA' ? 'B→A' : 'A→B';
}

/** Writes the left or right half of an aligned A|B image as a PNG in `dir`; unreadable images name the file. */
async function halfOf(path: string, half: 'left' | 'right', dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const target = join(dir, `${basename(path, extname(path))}.${half}.png`);
  try {
    const image = sharp(path).rotate();
    const { width = 0, height = 0 } = await image.metadata();
    if (width < 2) throw new Error('it is too narrow to split');
    const halfWidth = Math.floor(width / 2);
    await image
      .extract({ left: half === 'left' ? 0 : width - halfWidth, top: 0, width: halfWidth, height })
      .png()
      .toFile(target);
  } catch (error) {
    throw new StudioError(
      'bad-input',
      `${basename(path)}: cannot take its ${half} half (${(error as Error).message}).`,
    );
  }
  return target;
}

/** The files of a latent bundle beside its generator `path`, named by its metadata; none for other models. */
export function bundleCompanions(path: string, d: ModelDescription): string[] {
  if (!d.codeInput) return [];
  return [d.metadata.latent_encoder, d.metadata.latent_weights]
    .filter((name): name is string => !!name && basename(name) === name)
    .map((name) => join(dirname(path), name));
}

/** Exports, imports, deletes and runs a project's models; the heavy work goes to the model worker. */
export class ModelService {
  constructor(
    readonly store: ModelStore,
    private readonly runs: RunStore,
    private readonly projects: ProjectStore,
    private readonly host: ModelHost,
    private readonly bus: EventBus,
  ) {}

  private modelsDir(projectId: string): string {
    const dir = join(this.projects.folderOf(projectId), 'models');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  private uniqueName(projectId: string, wanted: string): string {
    let name = wanted;
    for (let n = 2; this.store.nameTaken(projectId, name); n += 1) name = `${wanted} (${n})`;
    return name;
  }

  private changed(projectId: string): void {
    this.bus.emit('models:changed', { projectId });
  }

  /**
   * Exports a run's generator from its newest checkpoint (or the one at `checkpointStep`) with
   * the parity gate; a refused export leaves no file and no row.
   */
  async exportRun(
    runId: string,
    o: {
      checkpointStep?: number;
      name?: string;
      direction?: 'AtoB' | 'BtoA';
      onProgress?: (p: JobProgress) => void;
    } = {},
  ): Promise<ModelView> {
    const run = this.runs.get(runId);
    const checkpoints = this.runs.checkpoints(runId).filter((c) => existsSync(c.path));
    const checkpoint =
      o.checkpointStep === undefined
        ? checkpoints.at(-1)
        : checkpoints.find((c) => c.step === o.checkpointStep);
    if (!checkpoint) {
      throw new StudioError(
        'conflict',
        o.checkpointStep === undefined
          ? `Run ${runId} has no checkpoint yet; train until one is written (or stop the run, which writes one).`
          : `Run ${runId} has no checkpoint at step ${o.checkpointStep}; it has ${checkpoints.map((c) => c.step).join(', ') || 'none'}.`,
      );
    }
    const id = randomUUID();
    const out = join(this.modelsDir(run.projectId), `${id}.onnx`);
    const outcome = await this.host.run(
      { kind: 'export', checkpoint: checkpoint.path, out, runId, direction: o.direction },
      { onProgress: o.onProgress },
    );
    const direction = outcome.description.metadata.direction ?? 'AtoB';
    const twoWay = run.kind === 'cyclegan';
    const view = this.store.add({
      id,
      projectId: run.projectId,
      runId,
      name: this.uniqueName(
        run.projectId,
        o.name ??
          `${run.kind} ${run.config.size}px${twoWay ? ` ${arrow(direction)}` : ''}, step ${checkpoint.step}`,
      ),
      source: 'export',
      checkpointStep: checkpoint.step,
      path: outcome.path,
      sha256: outcome.sha256,
      bytes: outcome.bytes,
      parityMaxAbs: outcome.parityMaxAbs,
      description: outcome.description,
    });
    this.changed(run.projectId);
    return view;
  }

  /**
   * Imports an ONNX image-to-image model: validated by the worker (one float NCHW image input,
   * an image output, loads and runs in ONNX Runtime), then copied into the project.
   */
  async importFile(projectId: string, path: string, name?: string): Promise<ModelView> {
    this.projects.get(projectId);
    if (extname(path).toLowerCase() !== '.onnx' && !existsSync(path)) {
      throw new StudioError('not-found', `${path} does not exist.`);
    }
    const description = await this.host.run({ kind: 'describe', model: path, measureLatency: true });
    const id = randomUUID();
    const companions = bundleCompanions(path, description);
    const missing = companions.filter((file) => !existsSync(file));
    if (missing.length > 0) {
      throw new StudioError(
        'bad-input',
        `${basename(path)} is a latent generator whose bundle is incomplete: ${missing.map((f) => basename(f)).join(' and ')} should lie beside it.`,
      );
    }
    // A bundle keeps its file names, which its generator's metadata refers to, in a folder of its own.
    const target =
      companions.length > 0
        ? join(this.modelsDir(projectId), id, basename(path))
        : join(this.modelsDir(projectId), `${id}.onnx`);
    mkdirSync(dirname(target), { recursive: true });
    for (const [from, to] of [
      ...companions.map((file) => [file, join(dirname(target), basename(file))] as const),
      [path, target] as const,
    ]) {
      const temp = `${to}.${process.pid}.tmp`;
      try {
        copyFileSync(from, temp);
        renameSync(temp, to);
      } catch (error) {
        rmSync(temp, { force: true });
        throw new StudioError('io', `Cannot copy ${from} into the project: ${(error as Error).message}`);
      }
    }
    const view = this.store.add({
      id,
      projectId,
      runId: null,
      name: this.uniqueName(projectId, name ?? basename(path, extname(path))),
      source: 'import',
      checkpointStep: null,
      path: target,
      sha256: createHash('sha256').update(readFileSync(target)).digest('hex'),
      bytes: statSync(target).size,
      parityMaxAbs: null,
      description,
    });
    this.changed(projectId);
    return view;
  }

  /** Removes a model and its files (a latent bundle's encoder and weights with its generator). */
  delete(modelId: string): { id: string } {
    const model = this.store.get(modelId);
    const companions = bundleCompanions(model.path, this.store.description(modelId));
    this.store.delete(modelId);
    for (const file of [model.path, ...companions]) rmSync(file, { force: true });
    const folder = dirname(model.path);
    if (folder !== this.modelsDir(model.projectId) && readdirSync(folder).length === 0)
      rmSync(folder, { recursive: true });
    this.changed(model.projectId);
    return { id: modelId };
  }

  /**
   * Runs a model on one image. The output and the input as the model saw it (resized to its
   * size) are written under the project's `models/runs/` folder so both can be shown side by side.
   */
  async runOnImage(
    modelId: string,
    imagePath: string,
    o: { maskPath?: string; half?: 'left' | 'right' } = {},
  ): Promise<ModelRunResult> {
    const { maskPath } = o;
    const model = this.store.get(modelId);
    const description = this.store.description(modelId);
    refuseLatent(model.name, description);
    if (description.maskInput && !maskPath) {
      throw new StudioError('bad-input', `${model.name} is an inpainting model: give a mask with the image.`);
    }
    const outDir = join(this.modelsDir(model.projectId), 'runs', `${Date.now()}-${randomUUID().slice(0, 8)}`);
    const notes: string[] = [];
    const source = o.half ? await halfOf(imagePath, o.half, outDir) : imagePath;
    if (o.half) notes.push(`used the ${o.half} half of the A|B pair`);
    const outcome = await this.host.run({
      kind: 'infer',
      model: model.path,
      inputs: [source],
      masks: maskPath ? [maskPath] : undefined,
      outDir,
    });
    const failure = outcome.failures[0];
    const image = outcome.images[0];
    if (failure || !image)
      throw new StudioError('bad-input', failure?.message ?? `${imagePath} gave no output.`);
    const shape = {
      height: description.height,
      width: description.width,
      channels: description.inChannels,
      valueRange: description.valueRange,
    };
    const inputPath = join(outDir, `${basename(image.output, '.png')}.input.png`);
    if (description.maskInput) {
      const whole = await decodeImage(source, { maxSide: MAX_FILL_SIDE });
      await writePng(inputPath, whole.data, whole.width, whole.height);
    } else {
      const seen = await readImageTensor(source, shape, { gray: colorizesGray(description.metadata) });
      await writeImageTensor(inputPath, seen.data, shape);
    }
    return {
      modelId,
      inputPath,
      outputPath: image.output,
      ms: image.ms,
      provider: outcome.provider,
      notes: [...notes, ...image.notes],
    };
  }
}
