import type { LatentConstraintResult, LatentProjection } from '../../../preload/contract';
import type { PixelBuffer } from './image-tensor';

/**
 * The jobs the model worker process runs (export, inference, model description) and what each
 * returns. Main sends a job with an id; the worker answers with progress, then a result or an
 * error. Images and models travel as file paths, except the live canvas's drawings (pixels).
 */

/** Export a generator from a checkpoint to ONNX, with the parity gate and a latency measure. */
export interface ExportJob {
  kind: 'export';
  checkpoint: string;
  out: string;
  runId?: string;
  /** sha256 of the run's dataset report, written to the model's metadata. */
  datasetHash?: string;
  /** Max abs difference allowed between tfjs and ONNX Runtime (1e-4 unless given). */
  tolerance?: number;
  /** Which generator, where a checkpoint holds two (`AtoB`, `BtoA`); the first otherwise. */
  direction?: string;
}

/** Run a model on images (and masks, for inpainting models), writing PNGs to `outDir`. */
export interface InferJob {
  kind: 'infer';
  model: string;
  inputs: string[];
  /**
   * One mask per input, same order, for models that take a mask: the output is then the input
   * at its own size with only the hole filled (see `fillHole`).
   */
  masks?: string[];
  /** Inward soft edge of filled holes, in pixels. */
  feather?: number;
  /**
   * One colour-hint image per input, same order, for models that take hints: opaque pixels are
   * hints of their colour, transparent ones none. Without one a hinted model runs with no hints.
   */
  hints?: string[];
  outDir: string;
  /** Forces one execution provider (`cpu`, `cuda`…); the platform's order otherwise. */
  provider?: string;
}

/**
 * Translate one drawing held in memory with an image-to-image model (the live canvas): pixels
 * in, pixels out, no files on the way.
 */
export interface TranslateJob {
  kind: 'translate';
  model: string;
  image: PixelBuffer;
  /** The size the drawing was made at, where it was already scaled down (for the note). */
  pageSize?: { width: number; height: number };
  /** RGBA colour hints for a hinted model: opaque pixels ask for their colour. */
  hints?: PixelBuffer;
}

/** Open a model into the worker's session cache ahead of use, so the first real job finds it ready. */
export interface WarmJob {
  kind: 'warm';
  model: string;
}

/** Validate a model file and say what it is (the import check). */
export interface DescribeJob {
  kind: 'describe';
  model: string;
  /** Also measure the median latency on a blank input. */
  measureLatency?: boolean;
}

/** Fill the hole a mask paints on an image with an inpainting model; the image keeps its size. */
export interface FillJob {
  kind: 'fill';
  model: string;
  image: string;
  /** An image of the same size, white (and opaque) where to fill. */
  mask: string;
  /** The filled image, a PNG. */
  out: string;
  /** Pixels of inward soft edge; 0 or absent for a hard edge. */
  feather?: number;
}

/**
 * Latent editor work on a latent generator bundle (the generator's ONNX file with its encoder
 * and training weights beside it). The generated images are small (the model's size), so they
 * come back as PNG data URLs rather than files.
 */
export type LatentJob = { kind: 'latent'; model: string } & (
  | { op: 'open'; directions: number }
  | { op: 'sample'; codes: number[][] }
  | { op: 'random'; count: number; seed: number }
  | { op: 'project'; image: string; steps: number }
  | { op: 'constrain'; code: number[]; color?: string; sketch?: string; starts: number; steps: number }
  | { op: 'rank'; images: string[] }
);

/** Any job. */
export type ModelJob = ExportJob | InferJob | TranslateJob | WarmJob | DescribeJob | FillJob | LatentJob;

/** A model as the studio understands it: its image contract and where it came from. */
export interface ModelDescription {
  /** `pix2pix`, `cyclegan`, `inpaint`, `latent`, or `image2image` for models without our metadata. */
  kind: string;
  imageInput: string;
  maskInput: string | null;
  /** The colour-hint input (RGB + mask, 4 channels) of a hinted colorization model. */
  hintInput: string | null;
  /**
   * A latent generator's code input, [batch, nz, 1, 1]; then `imageInput` names it too and
   * `inChannels` is nz. Absent or null for image models.
   */
  codeInput?: { name: string; nz: number } | null;
  output: string;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  /** `-1,1` or `0,1`. */
  valueRange: string;
  metadata: Record<string, string>;
  provider: string;
  latencyMs: number | null;
}

/** What an export produced. */
export interface ExportOutcome {
  path: string;
  bytes: number;
  sha256: string;
  parityMaxAbs: number;
  description: ModelDescription;
  /** Files written beside `path` that belong to the same model (a latent bundle's encoder and weights). */
  companions?: string[];
  /** A latent bundle's encoder parity figure (`parityMaxAbs` is the larger of it and the generator's). */
  encoderParityMaxAbs?: number;
}

/** One image's result. */
export interface InferredImage {
  input: string;
  output: string;
  ms: number;
  notes: string[];
}

/** What an inference job produced; images that failed are listed with the reason, the rest go on. */
export interface InferOutcome {
  provider: string;
  images: InferredImage[];
  failures: { input: string; message: string }[];
}

/** A translated drawing: the model's output at its size (1 or 3 channels). */
export interface TranslateOutcome {
  pixels: PixelBuffer;
  /** The model's own run time. */
  ms: number;
  provider: string;
  notes: string[];
}

/** What a fill produced. */
export interface FillOutcome {
  output: string;
  width: number;
  height: number;
  modelMs: number;
  totalMs: number;
  provider: string;
  holeFraction: number;
  notes: string[];
}

/** What a latent generator bundle holds, as the editor needs to know it. */
export interface LatentOpened {
  size: number;
  nz: number;
  /** Whether the encoder and the training weights are there (projection, constraints, critic). */
  canEdit: boolean;
  /** Principal directions of the generator's early features, computed when asked for. */
  principal: { vector: number[]; spread: number; explained: number }[];
  notes: string[];
}

/** The result of each latent operation. */
export interface LatentResults {
  open: LatentOpened;
  sample: { images: string[]; ms: number };
  random: { samples: { code: number[]; dataUrl: string }[]; ms: number };
  project: LatentProjection;
  constrain: LatentConstraintResult;
  rank: { scores: { path: string; score: number }[]; failures: { path: string; message: string }[] };
}

/** The result type of each job kind. */
export interface JobResults {
  export: ExportOutcome;
  infer: InferOutcome;
  translate: TranslateOutcome;
  /** The provider the model runs on, and the worker's OS priority (a nice value). */
  warm: { provider: string; priority: number };
  describe: ModelDescription;
  fill: FillOutcome;
  latent: LatentResults[keyof LatentResults];
}

/** The argument that starts a worker at below-normal priority (it lowers its own before any model opens). */
export const LOW_PRIORITY_ARG = '--low-priority';

/** Messages main sends to the worker. */
export type WorkerCommand = { type: 'job'; id: number; job: ModelJob } | { type: 'cancel'; id: number };

/** Messages the worker sends back. `code` is an ErrorCode of `../errors`. */
export type WorkerReply =
  | { type: 'progress'; id: number; done: number; total: number; stage: string }
  | { type: 'result'; id: number; result: JobResults[keyof JobResults] }
  | { type: 'error'; id: number; code: string; message: string };
