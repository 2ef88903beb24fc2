import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LATENT_DEFAULTS, LatentGan, type LatentConfig } from '../../../models/latent';
import { StudioError } from '../errors';
import type { SessionCache, LoadedModel } from '../inference/session-cache';
import { readCheckpoint } from '../training/checkpoint-file';
import { selectBackend } from '../training/tf-backend';

/** A latent generator bundle opened in the model worker. */
export interface LatentBundle {
  path: string;
  size: number;
  nz: number;
  /** The generator and (when present) its critic and encoder in tfjs, for the gradient-based parts. */
  gan: LatentGan | null;
  notes: string[];
}

/** A companion file named in the generator's metadata, resolved beside it; null when absent. */
function companion(model: LoadedModel, key: string): string | null {
  const name = model.description.metadata[key];
  if (!name) return null;
  const path = join(dirname(model.path), basename(name));
  return existsSync(path) ? path : null;
}

/** The model's configuration as its weights file records it (the run's settings). */
function configOf(meta: Record<string, unknown>, size: number, nz: number): LatentConfig {
  const config = (meta.config ?? {}) as Record<string, unknown>;
  const number = (key: string, fallback: number): number =>
    typeof config[key] === 'number' ? config[key] : fallback;
  return {
    ...LATENT_DEFAULTS,
    size,
    nz,
    ngf: number('ngf', LATENT_DEFAULTS.ngf),
    ndf: number('ndf', LATENT_DEFAULTS.ndf),
    spectralNorm: config.spectralNorm === true,
  };
}

let counter = 0;
let held: { key: string; bundle: LatentBundle } | null = null;

/**
 * Opens the bundle of a latent generator: the generator's ONNX session (from `cache`) and its
 * training weights in tfjs when the weights file is beside it. The last bundle stays loaded
 * for the next job; a rewritten file is loaded afresh.
 */
export async function openLatentBundle(
  path: string,
  cache: SessionCache,
): Promise<{ bundle: LatentBundle; generator: LoadedModel }> {
  const generator = await cache.get(path);
  const { metadata, kind } = generator.description;
  if (kind !== 'latent') {
    throw new StudioError('bad-input', `${basename(path)} is not a latent generator (its kind is ${kind}).`);
  }
  const nz = Number(metadata.nz);
  const size = generator.description.height;
  if (!Number.isInteger(nz) || nz < 1)
    throw new StudioError('bad-input', `${basename(path)} does not say its code length (nz).`);
  const key = `${path}:${statSync(path).mtimeMs}`;
  if (held?.key === key) return { bundle: held.bundle, generator };
  held?.bundle.gan?.dispose();
  held = null;
  const notes: string[] = [];
  const weights = companion(generator, 'latent_weights');
  const encoder = companion(generator, 'latent_encoder');
  let gan: LatentGan | null = null;
  if (weights && encoder) {
    await selectBackend('auto');
    const { meta, tensors } = readCheckpoint(weights);
    try {
      counter += 1;
      gan = new LatentGan(configOf(meta, size, nz), 0, `editor-${counter}`);
      gan.restore(tensors, true);
    } catch (error) {
      gan?.dispose();
      throw new StudioError(
        'bad-input',
        `${basename(weights)} does not fit ${basename(path)}: ${(error as Error).message}`,
      );
    } finally {
      tf.dispose(tensors.map((t) => t.tensor));
    }
  } else {
    notes.push(
      `${basename(path)} has no ${weights ? 'encoder' : 'training weights'} beside it: sampling and sliders work, projection, constraints and the critic do not.`,
    );
  }
  const bundle: LatentBundle = { path, size, nz, gan, notes };
  held = { key, bundle };
  return { bundle, generator };
}
