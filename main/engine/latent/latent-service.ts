import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type {
  CriticRanking,
  LatentConstraintResult,
  LatentDirection,
  LatentModelInfo,
  LatentProjection,
  LatentSample,
} from '../../../preload/contract';
import { CONSTRAINT_DEFAULTS } from '../../../models/latent-constraints';
import { PROJECTION_DEFAULTS } from '../../../models/latent-projection';
import { flagOutliers, medianOf } from '../../../models/outliers';
import { listFolder } from '../datasets/list-folder';
import { StudioError } from '../errors';
import type { ModelHost } from '../inference/model-host';
import type { LatentJob, LatentResults } from '../inference/model-jobs';
import type { ModelStore } from '../models/model-store';
import { readDirections, unitVector, writeDirections } from './directions-file';
import { pngDataUrls, readCentreSquare } from './latent-images';

/** How many principal directions the editor offers as sliders. */
export const PRINCIPAL_DIRECTIONS = 8;

/** How many of the least typical images come with a thumbnail, and its side. */
export const RANK_THUMBNAILS = 120;
const THUMBNAIL_SIZE = 64;

/** The most images one ranking reads (a larger folder is ranked on its first ones, with a note). */
export const MAX_RANKED_IMAGES = 5000;

type LatentOp = LatentJob['op'];

type OpJob<O extends LatentOp> = Omit<Extract<LatentJob, { op: O }>, 'kind' | 'model'>;

/**
 * The latent editor's engine side: checks requests against the model (a latent generator, codes
 * of its length), keeps the directions file, and sends the work (sampling, projection,
 * constraints, critic scores) to the model worker, which holds the generator in ONNX Runtime and
 * its training weights in tfjs.
 */
export class LatentService {
  private readonly opened = new Map<string, { nz: number; size: number; canEdit: boolean }>();

  constructor(
    private readonly models: ModelStore,
    private readonly host: ModelHost,
  ) {}

  private modelPath(modelId: string): string {
    const model = this.models.get(modelId);
    const kind = this.models.description(modelId).kind;
    if (kind !== 'latent') {
      throw new StudioError(
        'bad-input',
        `${model.name} is a ${kind} model; the latent editor opens latent generators (train one with the "latent" model on a folder of images).`,
      );
    }
    return model.path;
  }

  private async run<O extends LatentOp>(
    modelId: string,
    job: OpJob<O> & { op: O },
  ): Promise<LatentResults[O]> {
    const model = this.modelPath(modelId);
    const result = await this.host.run({ kind: 'latent', model, ...job } as unknown as LatentJob);
    return result as LatentResults[O];
  }

  private async shape(modelId: string): Promise<{ nz: number; size: number; canEdit: boolean }> {
    const known = this.opened.get(modelId);
    if (known) return known;
    await this.open(modelId);
    return this.opened.get(modelId)!;
  }

  private async checkCodes(modelId: string, codes: number[][]): Promise<void> {
    const { nz } = await this.shape(modelId);
    const wrong = codes.findIndex((code) => code.length !== nz);
    if (wrong >= 0) {
      throw new StudioError(
        'bad-input',
        `Code ${wrong + 1} has ${codes[wrong]?.length} numbers; this generator's codes have ${nz}.`,
      );
    }
  }

  private async needsEditing(modelId: string, what: string): Promise<void> {
    if ((await this.shape(modelId)).canEdit) return;
    throw new StudioError(
      'bad-input',
      `${this.models.get(modelId).name} has no encoder or training weights beside it, so ${what} is not possible; export the model from its run in GAN Studio.`,
    );
  }

  /** Opens a latent generator: its size, code length and directions (principal ones computed once). */
  async open(modelId: string): Promise<LatentModelInfo> {
    const path = this.modelPath(modelId);
    const directions = readDirections(path, this.models.description(modelId).codeInput?.nz);
    const opened = await this.run(modelId, {
      op: 'open',
      directions: directions.principal.length > 0 ? 0 : PRINCIPAL_DIRECTIONS,
    });
    this.opened.set(modelId, { nz: opened.nz, size: opened.size, canEdit: opened.canEdit });
    if (directions.principal.length === 0 && opened.principal.length > 0) {
      directions.principal = opened.principal.map((d, i) => ({
        id: `pc-${i + 1}`,
        name: `Principal ${i + 1}`,
        kind: 'principal',
        ...d,
      }));
      writeDirections(path, directions);
    }
    return {
      modelId,
      size: opened.size,
      nz: opened.nz,
      canEdit: opened.canEdit,
      directions: [...directions.principal, ...directions.saved],
      notes: opened.notes,
    };
  }

  /** The generator's images for the given codes. */
  async sample(modelId: string, codes: number[][]): Promise<{ images: string[]; ms: number }> {
    await this.checkCodes(modelId, codes);
    return this.run(modelId, { op: 'sample', codes });
  }

  /** Codes drawn from the prior and their images. */
  async random(
    modelId: string,
    count: number,
    seed?: number,
  ): Promise<{ samples: LatentSample[]; ms: number }> {
    return this.run(modelId, {
      op: 'random',
      count,
      seed: seed ?? Math.floor(Math.random() * 2 ** 31),
    });
  }

  /** Projects an image file into the latent space (encoder guess, then gradient refinement). */
  async project(
    modelId: string,
    image: string,
    steps = PROJECTION_DEFAULTS.steps,
  ): Promise<LatentProjection> {
    await this.needsEditing(modelId, 'projecting an image');
    return this.run(modelId, { op: 'project', image, steps });
  }

  /** Fits codes to painted colour and sketch constraints, from the given code and other starts. */
  async constrain(
    modelId: string,
    request: { code: number[]; color?: string; sketch?: string; starts?: number; steps?: number },
  ): Promise<LatentConstraintResult> {
    await this.needsEditing(modelId, 'fitting painted constraints');
    await this.checkCodes(modelId, [request.code]);
    if (!request.color && !request.sketch) {
      throw new StudioError('bad-input', 'Paint a colour or a sketch stroke on the image first.');
    }
    return this.run(modelId, {
      op: 'constrain',
      code: request.code,
      ...(request.color ? { color: request.color } : {}),
      ...(request.sketch ? { sketch: request.sketch } : {}),
      starts: request.starts ?? CONSTRAINT_DEFAULTS.starts,
      steps: request.steps ?? CONSTRAINT_DEFAULTS.steps,
    });
  }

  /** Saves a direction under a name (stored as a unit vector; its spread is the prior's, 1). */
  async saveDirection(modelId: string, name: string, vector: number[]): Promise<LatentDirection> {
    await this.checkCodes(modelId, [vector]);
    const unit = unitVector(vector);
    if (!unit) throw new StudioError('bad-input', 'A direction needs a vector that is not all zeros.');
    const path = this.modelPath(modelId);
    const directions = readDirections(path, vector.length);
    const direction: LatentDirection = {
      id: `saved-${randomUUID().slice(0, 8)}`,
      name,
      kind: 'saved',
      vector: unit,
      spread: 1,
    };
    directions.saved.push(direction);
    writeDirections(path, directions);
    return direction;
  }

  /** Deletes a saved direction; principal directions cannot be deleted. */
  async deleteDirection(modelId: string, directionId: string): Promise<{ id: string }> {
    const path = this.modelPath(modelId);
    const { nz } = await this.shape(modelId);
    const directions = readDirections(path, nz);
    if (directions.principal.some((d) => d.id === directionId)) {
      throw new StudioError('bad-input', 'Principal directions belong to the model and cannot be deleted.');
    }
    const kept = directions.saved.filter((d) => d.id !== directionId);
    if (kept.length === directions.saved.length)
      throw new StudioError('not-found', `No saved direction ${directionId} for this model.`);
    writeDirections(path, { ...directions, saved: kept });
    return { id: directionId };
  }

  /** Ranks a folder's images by the critic's score, least typical first, and flags the outliers. */
  async rank(modelId: string, folder: string): Promise<CriticRanking> {
    await this.needsEditing(modelId, 'scoring images with the critic');
    const listing = await listFolder(folder, 'The folder');
    if (listing.images.length === 0)
      throw new StudioError('bad-input', `${folder} holds no images (PNG, JPEG, WebP, TIFF, GIF, BMP).`);
    const notes =
      listing.images.length > MAX_RANKED_IMAGES
        ? [
            `${folder} holds ${listing.images.length} images; the first ${MAX_RANKED_IMAGES} by name were ranked.`,
          ]
        : [];
    const { scores, failures } = await this.run(modelId, {
      op: 'rank',
      images: listing.images.slice(0, MAX_RANKED_IMAGES),
    });
    const images = flagOutliers(scores.map((s) => s.score)).map((flag) => {
      const path = scores[flag.index]?.path ?? '';
      const image: CriticRanking['images'][number] = {
        path,
        name: basename(path),
        score: flag.score,
        outlier: flag.outlier,
      };
      return image;
    });
    for (const image of images.slice(0, RANK_THUMBNAILS)) {
      const read = await readCentreSquare(image.path, THUMBNAIL_SIZE).catch(() => null);
      if (read) image.thumbnail = (await pngDataUrls(read.pixels, 1, THUMBNAIL_SIZE))[0];
    }
    return { images, median: medianOf(scores.map((s) => s.score)), failures, notes };
  }
}
