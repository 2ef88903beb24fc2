import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { colorizesGray } from './derived-input';
import { refuseNonTranslator } from './describe-model';
import { checkPixels, hintTensor, pixelsToRgb, rgbToTensor, tensorToBytes } from './image-tensor';
import type { TranslateJob, TranslateOutcome } from './model-jobs';
import { runImageModel } from './run-inference';
import type { SessionCache } from './session-cache';

/**
 * Translates a drawing held in memory (the live canvas): the pixels become the model's input as
 * a file's would (`rgbToTensor`: resized, gray where the model wants it), the output comes back
 * as pixels at the model's size. No file is written or read on the way, so a stroke's update
 * costs the model's run and little else.
 */
export async function translateDrawing(job: TranslateJob, cache: SessionCache): Promise<TranslateOutcome> {
  const model = await cache.get(job.model);
  const d = model.description;
  const name = basename(job.model);
  refuseNonTranslator(name, d);
  checkPixels(job.image, 'The drawing');
  if (job.hints) checkPixels(job.hints, 'The colour hints');
  const shape = { height: d.height, width: d.width, valueRange: d.valueRange };
  const input = await rgbToTensor(
    pixelsToRgb(job.image),
    job.image,
    { ...shape, channels: d.inChannels },
    { gray: colorizesGray(d.metadata), noteSize: job.pageSize },
  );
  const feeds: Record<string, ort.Tensor> = {
    [d.imageInput]: new ort.Tensor('float32', input.data, [1, d.inChannels, d.height, d.width]),
  };
  if (d.hintInput) {
    const hints = job.hints ? await hintTensor(job.hints, d) : new Float32Array(4 * d.height * d.width);
    feeds[d.hintInput] = new ort.Tensor('float32', hints, [1, 4, d.height, d.width]);
  } else if (job.hints) {
    input.notes.push(`the colour hints were ignored: ${name} takes none`);
  }
  let data: Uint8Array = new Uint8Array();
  const ms = await runImageModel(model, feeds, 'the drawing', (output) => {
    data = tensorToBytes(output, { ...shape, channels: d.outChannels }, 'translate the drawing');
  });
  return {
    pixels: { width: d.width, height: d.height, channels: d.outChannels as 1 | 3, data },
    ms,
    provider: model.provider,
    notes: input.notes,
  };
}
