import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describeOnnx, OnnxDataType, type OnnxValueInfo } from '../../../models/onnx/onnx-proto';
import { StudioError } from '../errors';
import type { ModelDescription } from './model-jobs';
import { openOrtSession, type OrtSession } from './ort-session';

/** The size a model with free height and width is run at, unless its metadata says otherwise. */
export const DEFAULT_FREE_SIZE = 256;

const DTYPE_NAMES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  6: 'int32',
  7: 'int64',
  9: 'bool',
  10: 'float16',
  11: 'float64',
};

/** What `describeOnnx` read from a file. */
type OnnxInfo = ReturnType<typeof describeOnnx>;

function bad(file: string, what: string): StudioError {
  return new StudioError('bad-input', `${basename(file)}: ${what}`);
}

function shapeText(v: OnnxValueInfo): string {
  return `[${v.dims.join(', ')}]`;
}

/** Checks that a value is a float32 NCHW tensor with one of the allowed channel counts; returns the count. */
function checkImageTensor(file: string, v: OnnxValueInfo, role: string, channels: number[]): number {
  const dtype = DTYPE_NAMES[v.elemType] ?? `type ${v.elemType}`;
  if (v.elemType !== OnnxDataType.FLOAT) {
    throw bad(file, `its ${role} "${v.name}" is ${dtype}; GAN Studio runs float32 image models.`);
  }
  if (v.dims.length !== 4) {
    throw bad(
      file,
      `its ${role} "${v.name}" has rank ${v.dims.length} ${shapeText(v)}; an image model needs NCHW [batch, channels, height, width].`,
    );
  }
  const c = v.dims[1];
  if (typeof c !== 'number' || !channels.includes(c)) {
    throw bad(
      file,
      `its ${role} "${v.name}" has ${typeof c === 'number' ? c : `"${c}"`} channels ${shapeText(v)}; expected ${channels.join(' or ')} (NCHW layout).`,
    );
  }
  return c;
}

function sizeFrom(info: OnnxInfo, image: OnnxValueInfo): { height: number; width: number } {
  const [, , h, w] = image.dims;
  if (typeof h === 'number' && typeof w === 'number' && h > 0 && w > 0) return { height: h, width: w };
  const match = /^(\d+)x(\d+)$/.exec(info.metadata.input_size ?? '');
  if (match) return { height: Number(match[1]), width: Number(match[2]) };
  return { height: DEFAULT_FREE_SIZE, width: DEFAULT_FREE_SIZE };
}

/**
 * Describes a latent generator (metadata model_kind `latent`): one float input [batch, nz, 1, 1]
 * with nz as its metadata says, and an NCHW RGB image output of the metadata's size.
 */
function describeLatent(file: string, info: OnnxInfo, provider: string): ModelDescription {
  const nz = Number(info.metadata.nz);
  const [input, ...others] = info.inputs;
  if (!input) throw bad(file, 'it has no inputs.');
  if (others.length > 0) {
    throw bad(
      file,
      `it takes ${info.inputs.length} inputs (${info.inputs.map((v) => v.name).join(', ')}); a latent generator takes one code.`,
    );
  }
  const [, channels, h, w] = input.dims;
  if (
    input.elemType !== OnnxDataType.FLOAT ||
    input.dims.length !== 4 ||
    !(Number.isInteger(nz) && nz > 0) ||
    channels !== nz ||
    h !== 1 ||
    w !== 1
  ) {
    throw bad(
      file,
      `its metadata says it is a latent generator with a code of ${info.metadata.nz ?? 'unknown'} numbers, but its input "${input.name}" is ${shapeText(input)}; expected float32 [batch, nz, 1, 1].`,
    );
  }
  const output = info.outputs[0];
  if (!output) throw bad(file, 'it has no outputs.');
  checkImageTensor(file, output, 'output', [3]);
  const range = info.metadata.value_range ?? '-1,1';
  if (range !== '-1,1' && range !== '0,1') throw bad(file, `its value_range "${range}" is not -1,1 or 0,1.`);
  return {
    kind: 'latent',
    imageInput: input.name,
    maskInput: null,
    hintInput: null,
    codeInput: { name: input.name, nz },
    output: output.name,
    ...sizeFrom(info, output),
    inChannels: nz,
    outChannels: 3,
    valueRange: range,
    metadata: info.metadata,
    provider,
    latencyMs: null,
  };
}

/**
 * Describes a latent GAN's encoder (model_kind `latent-encoder`) as its export checks it: an RGB
 * NCHW image input and a code output [batch, nz, 1, 1]. It is not a model the studio runs on its
 * own (`describeInfo` refuses it); the latent editor opens it beside its generator.
 */
export function describeLatentEncoder(file: string, info: OnnxInfo, provider: string): ModelDescription {
  const nz = Number(info.metadata.nz);
  const input = info.inputs[0];
  const output = info.outputs[0];
  if (!input || !output || info.inputs.length !== 1) throw bad(file, 'a latent encoder takes one image.');
  checkImageTensor(file, input, 'input', [3]);
  const [, channels, h, w] = output.dims;
  if (channels !== nz || h !== 1 || w !== 1) {
    throw bad(
      file,
      `its output "${output.name}" is ${shapeText(output)}; a latent encoder gives [batch, ${nz}, 1, 1].`,
    );
  }
  return {
    kind: 'latent-encoder',
    imageInput: input.name,
    maskInput: null,
    hintInput: null,
    output: output.name,
    ...sizeFrom(info, input),
    inChannels: 3,
    outChannels: nz,
    valueRange: info.metadata.value_range ?? '-1,1',
    metadata: info.metadata,
    provider,
    latencyMs: null,
  };
}

/**
 * Checks that a decoded model is an image-to-image model the studio can run (one float NCHW
 * image input with 1 or 3 channels, plus a 1-channel mask input for inpainting models; an NCHW
 * image output), or a latent generator (`describeLatent`), and describes it. Throws a `bad-input` StudioError naming the file otherwise.
 */
export function describeInfo(file: string, info: OnnxInfo, provider: string): ModelDescription {
  if (info.metadata.model_kind === 'latent') return describeLatent(file, info, provider);
  const named = (info.metadata.input_names ?? '').split(',').filter(Boolean);
  const maskName = info.metadata.mask_input || null;
  if (info.inputs.length === 0) throw bad(file, 'it has no inputs.');
  const imageInput = info.inputs.find((v) => v.name === named[0]) ?? info.inputs[0];
  const maskInput = maskName ? info.inputs.find((v) => v.name === maskName) : undefined;
  const hintName = info.metadata.hint_input || null;
  const hintInput = hintName ? info.inputs.find((v) => v.name === hintName) : undefined;
  if (hintName && !hintInput)
    throw bad(file, `its metadata names a hint input "${hintName}" that the graph lacks.`);
  if (!imageInput) throw bad(file, 'it has no inputs.');
  if (maskName && !maskInput)
    throw bad(file, `its metadata names a mask input "${maskName}" that the graph lacks.`);
  const extra = info.inputs.filter((v) => v !== imageInput && v !== maskInput && v !== hintInput);
  if (extra.length > 0) {
    throw bad(
      file,
      `it takes ${info.inputs.length} inputs (${info.inputs.map((v) => v.name).join(', ')}); an image model takes one image${maskName ? ' and a mask' : ''}.`,
    );
  }
  const inChannels = checkImageTensor(file, imageInput, 'input', [1, 3]);
  if (maskInput) checkImageTensor(file, maskInput, 'mask input', [1]);
  if (hintInput) checkImageTensor(file, hintInput, 'hint input', [4]);
  const output = info.outputs[0];
  if (!output) throw bad(file, 'it has no outputs.');
  if (info.metadata.model_kind === 'latent-encoder') {
    throw bad(
      file,
      `it is the encoder of a latent GAN bundle; open the bundle's generator${info.metadata.latent_generator ? ` ${info.metadata.latent_generator}` : ''} instead.`,
    );
  }
  const outChannels = checkImageTensor(file, output, 'output', [1, 3]);
  const range = info.metadata.value_range ?? '-1,1';
  if (range !== '-1,1' && range !== '0,1') throw bad(file, `its value_range "${range}" is not -1,1 or 0,1.`);
  return {
    kind: info.metadata.model_kind || 'image2image',
    imageInput: imageInput.name,
    maskInput: maskInput?.name ?? null,
    hintInput: hintInput?.name ?? null,
    output: output.name,
    ...sizeFrom(info, imageInput),
    inChannels,
    outChannels,
    valueRange: range,
    metadata: info.metadata,
    provider,
    latencyMs: null,
  };
}

/**
 * Throws when a model is a latent generator, which makes images from codes and cannot run on
 * images: it opens in the latent editor. `name` is how the person knows the model.
 */
export function refuseLatent(name: string, d: ModelDescription): void {
  if (d.codeInput) {
    throw new StudioError(
      'bad-input',
      `${name} is a latent generator: it makes images from latent codes, not from images, so it cannot run on images; open it in the latent editor.`,
    );
  }
}

/**
 * Throws unless a model translates drawings: a latent generator (see `refuseLatent`) or an
 * inpainting model, which fills holes in the Fill holes mode, is refused with why.
 */
export function refuseNonTranslator(name: string, d: ModelDescription): void {
  refuseLatent(name, d);
  if (d.maskInput) {
    throw new StudioError(
      'bad-input',
      `${name} is an inpainting model: it fills holes in the Fill holes mode, it does not translate drawings.`,
    );
  }
}

/** Reads a model file's description, with a message naming the file when it is not ONNX. */
export function readOnnxInfo(file: string, bytes?: Uint8Array): OnnxInfo {
  if (!bytes) {
    if (!existsSync(file)) throw new StudioError('not-found', `${file} does not exist.`);
    if (!statSync(file).isFile()) throw bad(file, 'it is a folder, not an ONNX file.');
    bytes = readFileSync(file);
  }
  if (bytes.length === 0) throw bad(file, 'the file is empty.');
  try {
    return describeOnnx(bytes);
  } catch (error) {
    throw bad(file, `not an ONNX model, or the file is truncated (${(error as Error).message}).`);
  }
}

/** Zero-filled feeds for every input of a described model (a blank image, an empty mask, no hints; a zero code). */
export function blankFeeds(d: ModelDescription, batch = 1): Record<string, ort.Tensor> {
  if (d.codeInput) {
    const { name, nz } = d.codeInput;
    return { [name]: new ort.Tensor('float32', new Float32Array(batch * nz), [batch, nz, 1, 1]) };
  }
  const feeds: Record<string, ort.Tensor> = {
    [d.imageInput]: new ort.Tensor('float32', new Float32Array(batch * d.inChannels * d.height * d.width), [
      batch,
      d.inChannels,
      d.height,
      d.width,
    ]),
  };
  if (d.maskInput) {
    feeds[d.maskInput] = new ort.Tensor('float32', new Float32Array(batch * d.height * d.width), [
      batch,
      1,
      d.height,
      d.width,
    ]);
  }
  if (d.hintInput) {
    const plane = d.height * d.width;
    feeds[d.hintInput] = new ort.Tensor('float32', new Float32Array(batch * 4 * plane), [
      batch,
      4,
      d.height,
      d.width,
    ]);
  }
  return feeds;
}

/** The median of ms per run of `feeds` through a session, after warm-up runs. */
export async function medianLatency(
  session: ort.InferenceSession,
  feeds: Record<string, ort.Tensor>,
  runs = 7,
  warmup = 2,
): Promise<number> {
  for (let i = 0; i < warmup; i += 1) disposeOutputs(await session.run(feeds));
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    disposeOutputs(await session.run(feeds));
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

function disposeOutputs(outputs: ort.InferenceSession.OnnxValueMapType): void {
  for (const value of Object.values(outputs)) value.dispose();
}

/**
 * Opens a model in ONNX Runtime, with a message naming the file when ORT refuses it; `unsplit`
 * opens the graph exactly as the file has it (see `openOrtSession`).
 */
export async function openModelSession(
  file: string,
  model: string | Uint8Array,
  provider?: string,
  o: { unsplit?: boolean } = {},
): Promise<OrtSession> {
  try {
    return await openOrtSession(model, { only: provider, unsplit: o.unsplit });
  } catch (error) {
    throw bad(file, `ONNX Runtime cannot load it: ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * Validates a model file and says what it is: the checks of `describeInfo`, then a load in
 * ONNX Runtime and one run on a blank input (the output must be an image of the input's size),
 * plus the median latency when asked.
 */
export async function describeModel(
  file: string,
  o: { measureLatency?: boolean; provider?: string } = {},
): Promise<ModelDescription> {
  const info = readOnnxInfo(file);
  const described = describeInfo(file, info, 'cpu');
  const { session, provider } = await openModelSession(file, file, o.provider);
  try {
    return await checkRuns(file, session, { ...described, provider }, o.measureLatency);
  } finally {
    await session.release();
  }
}

/** Runs a blank input once to check the output's shape, and measures latency when asked. */
export async function checkRuns(
  file: string,
  session: ort.InferenceSession,
  d: ModelDescription,
  measureLatency = false,
): Promise<ModelDescription> {
  const feeds = blankFeeds(d);
  let outputs: ort.InferenceSession.OnnxValueMapType;
  try {
    outputs = await session.run(feeds);
  } catch (error) {
    throw bad(
      file,
      `running it on a blank ${d.codeInput ? 'code' : `${d.width}×${d.height} image`} failed: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const out = outputs[d.output];
  const dims = out?.dims ?? [];
  disposeOutputs(outputs);
  const [height, width] = d.kind === 'latent-encoder' ? [1, 1] : [d.height, d.width];
  if (dims[2] !== height || dims[3] !== width) {
    throw bad(
      file,
      `its output is [${dims.join(', ')}] for a ${d.codeInput ? `code of ${d.codeInput.nz}` : `${d.width}×${d.height} input`}; GAN Studio needs an image of ${d.codeInput ? 'the size its metadata says' : "the input's size"}.`,
    );
  }
  return { ...d, latencyMs: measureLatency ? await medianLatency(session, feeds) : null };
}
