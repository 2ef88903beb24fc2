import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import type { CanvasImage, FillResult, Payloads, TranslateResult } from '../../../preload/contract';
import { writeFileAtomic } from '../atomic-file';
import type { ProjectStore } from '../catalog/project-store';
import { decodeImage, PNG_DATA_URL, readImageHeader, writePng } from '../datasets/image-io';
import { StudioError } from '../errors';
import { refuseNonTranslator } from '../inference/describe-model';
import { MAX_FILL_SIDE } from '../inference/fill-hole';
import { maskFromPixels } from '../inference/hole-region';
import type { LiveTranslator } from '../inference/live-translator';
import type { ModelHost } from '../inference/model-host';
import type { ModelStore } from './model-store';

function pngDataUrl(path: string): string {
  return PNG_DATA_URL + readFileSync(path).toString('base64');
}

/**
 * The canvas's engine side: opens any image into a project as a PNG working copy, reads mask
 * images, fills painted holes with an inpainting model in the model worker, and translates
 * drawings live in workers of their own, so the app never blocks on either.
 */
export class CanvasService {
  constructor(
    private readonly models: ModelStore,
    private readonly projects: ProjectStore,
    private readonly host: ModelHost,
    private readonly live: LiveTranslator,
  ) {}

  private canvasDir(projectId: string): string {
    const dir = join(this.projects.folderOf(projectId), 'canvas');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * Opens an image for the canvas: decoded (orientation applied, transparency over white),
   * scaled down to the canvas's largest side with a note when it is larger, and written as a PNG
   * into the project's canvas folder.
   */
  async open(projectId: string, path: string): Promise<CanvasImage> {
    this.projects.get(projectId);
    const image = await decodeImage(path, { maxSide: MAX_FILL_SIDE });
    const notes = image.downscaled
      ? [
          `${basename(path)} is ${image.sourceWidth}×${image.sourceHeight}; the canvas works on it at ${image.width}×${image.height} (at most ${MAX_FILL_SIDE} px a side)`,
        ]
      : [];
    const target = join(this.canvasDir(projectId), `${Date.now()}-${randomUUID().slice(0, 8)}.png`);
    await writePng(target, image.data, image.width, image.height);
    return {
      path: target,
      source: path,
      width: image.width,
      height: image.height,
      dataUrl: pngDataUrl(target),
      notes,
    };
  }

  /** Reads a mask image for a canvas image of `width`×`height`: white where to fill, as a PNG data URL. */
  async openMask(path: string, width: number, height: number): Promise<string> {
    const header = await readImageHeader(path);
    if (header.width !== width || header.height !== height) {
      throw new StudioError(
        'bad-input',
        `The mask ${basename(path)} is ${header.width}×${header.height} but the image is ${width}×${height}; a mask must have its image's size.`,
      );
    }
    const raw = await sharp(path).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const mask = maskFromPixels(new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength), 4);
    const png = await sharp(
      mask.map((v) => v * 255),
      { raw: { width, height, channels: 1 } },
    )
      .png()
      .toBuffer();
    return PNG_DATA_URL + png.toString('base64');
  }

  /**
   * Translates a drawing (raw pixels) with an image-to-image model in the model worker: the
   * drawing is resized to the model's size and converted to its channels, as `infer` does, and
   * the output comes back as pixels. Nothing is written to disk on the way.
   */
  async translate(request: Payloads['canvas:translate']): Promise<TranslateResult> {
    const started = performance.now();
    const { modelId } = request;
    const model = this.models.get(modelId);
    const description = this.models.description(modelId);
    refuseNonTranslator(model.name, description);
    const { image, hints } = request;
    const outcome = await this.live.translate(
      {
        kind: 'translate',
        model: model.path,
        image,
        ...(hints ? { hints } : {}),
        ...(request.pageSize ? { pageSize: request.pageSize } : {}),
      },
      { preview: request.preview },
    );
    return {
      modelId,
      pixels: outcome.pixels,
      modelMs: outcome.ms,
      totalMs: performance.now() - started,
      provider: outcome.provider,
      notes: outcome.notes,
    };
  }

  /** Fills the hole `mask` (a PNG data URL of the image's size) paints on a canvas image. */
  async fill(modelId: string, imagePath: string, mask: string, feather = 0): Promise<FillResult> {
    const model = this.models.get(modelId);
    if (!this.models.description(modelId).maskInput) {
      throw new StudioError(
        'bad-input',
        `${model.name} takes no mask, so it cannot fill holes; pick an inpainting model.`,
      );
    }
    if (!existsSync(imagePath))
      throw new StudioError('not-found', `The canvas image ${imagePath} no longer exists.`);
    if (!mask.startsWith(PNG_DATA_URL))
      throw new StudioError('bad-input', 'The mask must be a PNG data URL.');
    const dir = join(this.canvasDir(model.projectId), 'fills');
    mkdirSync(dir, { recursive: true });
    const stem = `${Date.now()}-${randomUUID().slice(0, 8)}`;
    const maskPath = join(dir, `${stem}.mask.png`);
    writeFileAtomic(maskPath, [Buffer.from(mask.slice(PNG_DATA_URL.length), 'base64')]);
    const out = join(dir, `${stem}.png`);
    const outcome = await this.host.run({
      kind: 'fill',
      model: model.path,
      image: imagePath,
      mask: maskPath,
      out,
      feather,
    });
    return {
      modelId,
      outputPath: outcome.output,
      dataUrl: pngDataUrl(outcome.output),
      width: outcome.width,
      height: outcome.height,
      modelMs: outcome.modelMs,
      totalMs: outcome.totalMs,
      provider: outcome.provider,
      holeFraction: outcome.holeFraction,
      notes: outcome.notes,
    };
  }
}
