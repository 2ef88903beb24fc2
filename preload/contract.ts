/**
 * The one typed API between the renderer and the main process.
 *
 * Both transports implement it: Electron's preload (contextBridge over IPC) and the web host's
 * bridge (HTTP + WebSocket). Method payloads are plain JSON; every handler validates them with a
 * schema before use. Later capabilities extend the tables below.
 */

import type { MaskDesign } from '../models/masks';

export type { MaskDesign };

/** A project groups datasets, runs and exports. */
export interface Project {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  openedAt: string | null;
}

/** Whether a training backend can be used on this machine, and why not when it cannot. */
export interface BackendStatus {
  name: 'node' | 'wasm' | 'cpu';
  label: string;
  available: boolean;
  detail: string;
}

/** An ONNX Runtime execution provider and whether this machine can use it. */
export interface ProviderStatus {
  name: string;
  available: boolean;
  detail: string;
}

/** Something the user must be told about once, e.g. a corrupt catalog that was moved aside. */
export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
}

/** Facts about the running studio, shown in the footer and the About view. */
export interface AppInfo {
  version: string;
  versions: { node: string; electron: string | null; chrome: string | null; v8: string };
  platform: string;
  dataDir: string;
  trainingBackends: BackendStatus[];
  inferenceProviders: ProviderStatus[];
  capabilities: {
    /** A native folder dialog is available (pickFolder); otherwise use listFolder. */
    nativeFolderDialog: boolean;
    /** Dropped files resolve to paths on the machine (getPathForFile). */
    fileDropPaths: boolean;
  };
  notices: Notice[];
}

/** One entry of a folder listing. */
export interface FolderEntry {
  name: string;
  path: string;
  kind: 'folder' | 'image' | 'file';
}

/** A folder on the machine that hosts the engine, as the folder browser shows it. */
export interface FolderListing {
  path: string;
  parent: string | null;
  entries: FolderEntry[];
  imageCount: number;
  /** Set when the listing was cut to keep the response small. */
  truncated: boolean;
}

/** A file the dataset scan left out, and why. */
export interface DatasetProblem {
  file: string;
  kind: string;
  message: string;
}

/** An imported dataset with its report. */
export interface DatasetView {
  id: string;
  projectId: string;
  name: string;
  mode: 'aligned' | 'paired' | 'single' | 'unaligned';
  root: string;
  createdAt: string;
  counts: {
    train: number;
    val: number;
    test: number;
    pairs: number;
    imageFiles: number;
    problems: number;
    ignoredFiles: number;
  };
  problems: DatasetProblem[];
  /** Usable images per side of an unaligned dataset (A and B are not pairs). */
  sides?: { trainA: number; trainB: number; testA: number; testB: number };
  /** Notes on images that are used but worth knowing about (grayscale mixed with colour, unequal sides). */
  notes?: string[];
  /**
   * The images a latent GAN would train on (B of pairs, the photos of a single folder) and how
   * many of them are not square, so that only their centred square is used.
   */
  squareCrop: { images: number; cropped: number };
}

/** How a single folder of photos becomes pairs. */
export type DeriveKind = 'gray2color' | 'edges2photo';

/**
 * One augmented training pair, as the trainer would see it, as PNG data URLs. With `crop:
 * 'square'`, `a` is the whole image with the part the square centre crop cuts off dimmed, and
 * `b` the square the latent GAN trains on.
 */
export interface PreviewPair {
  a: string;
  b: string;
}

/**
 * The fewest images a latent GAN is trained on. An unconditional GAN learns a distribution, not
 * a mapping, and its critic overfits small sets (Karras et al. 2020 see it already with a few
 * thousand images); with fewer than about a hundred it memorises them, the generator copies
 * training images, and the encoder and the editor have nothing between them to move along.
 * A hundred is a floor, not a target: real sets should have thousands.
 */
export const LATENT_MIN_IMAGES = 100;

/** What a person chooses before training. */
export interface TrainSettings {
  /**
   * Which GAN: pix2pix for paired data, CycleGAN for unaligned data (the default follows the
   * dataset), inpaint to learn to fill holes in the images of any dataset, latent for an
   * unconditional GAN with an encoder (the latent editor's model) on the images of any dataset.
   */
  model?: 'pix2pix' | 'cyclegan' | 'inpaint' | 'latent';
  /** Latent GAN: the length of its code z (100 unless given). */
  nz?: number;
  /** Latent GAN: spectral normalisation of the critic on top of the gradient penalty. */
  spectralNorm?: boolean;
  /** How inpainting's training holes are drawn (the mask designer); defaults when absent. */
  maskDesign?: MaskDesign;
  /** pix2pix also learns from simulated colour hints (user-guided colorization). */
  hints?: boolean;
  datasetId: string;
  size: number;
  steps?: number;
  epochs?: number;
  batch: number;
  backend: 'auto' | 'node' | 'wasm' | 'cpu';
  direction: 'AtoB' | 'BtoA';
  derive?: DeriveKind;
  ngf: number;
  norm: 'batch' | 'instance' | 'none';
  gan: 'vanilla' | 'lsgan' | 'hinge' | 'wgangp';
  sampleEvery: number;
  checkpointEvery: number;
  seed: number;
}

/** A training run as lists show it. */
export interface RunView {
  id: string;
  projectId: string;
  kind: string;
  status: 'queued' | 'running' | 'stopped' | 'done' | 'crashed' | 'failed';
  backend: string | null;
  runDir: string;
  datasetRoot: string;
  size: number;
  steps: number | null;
  epochs: number | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** A run with everything its page shows: metric series, samples and checkpoints. */
export interface RunDetail {
  run: RunView;
  /** Series by name (`loss_D`, `val_l1`, …) as [step, value] pairs. */
  metrics: Record<string, [number, number][]>;
  samples: { step: number; path: string }[];
  checkpoints: { step: number; path: string; bytes: number }[];
}

/** An ONNX model in a project: exported from a run (with its parity figure) or imported. */
export interface ModelView {
  id: string;
  projectId: string;
  name: string;
  source: 'export' | 'import';
  /** `pix2pix`, `cyclegan`, `inpaint`, `latent`, or `image2image` for imported models. */
  kind: string;
  runId: string | null;
  checkpointStep: number | null;
  /** `AtoB` or `BtoA` for a generator of a two-way model (CycleGAN); null otherwise. */
  direction: string | null;
  path: string;
  bytes: number;
  sha256: string;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  /** The pixel range the model reads and writes, e.g. `-1,1`. */
  valueRange: string;
  /** Whether the model takes a mask input (inpainting). */
  needsMask: boolean;
  /** Whether the model takes colour hints (a colorization model trained with hints). */
  takesHints: boolean;
  /**
   * The code length of a latent generator (kind `latent`), which makes images from codes: it is
   * opened in the latent editor, not run on images. Null for image models.
   */
  nz: number | null;
  /** Max abs difference between tfjs and ONNX Runtime on the export's fixed inputs; null when imported. */
  parityMaxAbs: number | null;
  /** Median ms per image measured when the model was added, and the provider that ran it. */
  latencyMs: number | null;
  provider: string | null;
  createdAt: string;
}

/** An image opened on the canvas, copied into the project as a PNG that every view can read. */
export interface CanvasImage {
  /** The PNG copy in the project (read it again with `files:image`). */
  path: string;
  /** The file the person picked. */
  source: string;
  width: number;
  height: number;
  /** The PNG copy as a data URL, so the canvas can draw it at once. */
  dataUrl: string;
  /** What was done on opening (a picture too large for the canvas scaled down, …). */
  notes: string[];
}

/** A hole filled by an inpainting model: the whole image with only the hole's pixels replaced. */
export interface FillResult {
  modelId: string;
  /** The filled image, a PNG of the canvas image's size in the project. */
  outputPath: string;
  dataUrl: string;
  width: number;
  height: number;
  /** Milliseconds the model itself ran, and the whole fill (decode, crop, model, composite). */
  modelMs: number;
  totalMs: number;
  provider: string;
  /** The fraction of the image the hole covers. */
  holeFraction: number;
  /** What was done to fit the model (the region around the hole scaled from 900×700 to 256², …). */
  notes: string[];
}

/** A direction in a latent space that the editor offers as a slider. */
export interface LatentDirection {
  id: string;
  name: string;
  /** `principal`: a principal direction of the generator's early features (GANSpace); `saved`: saved by the person. */
  kind: 'principal' | 'saved';
  /** A unit vector of the latent space's length. */
  vector: number[];
  /** How far codes spread along it (one standard deviation, in latent units); sliders span ±3 of it. */
  spread: number;
  /** For principal directions: the share of the features' variance the component explains. */
  explained?: number;
}

/** A latent generator opened in the editor. */
export interface LatentModelInfo {
  modelId: string;
  /** The side of the square images it generates. */
  size: number;
  /** The length of its latent codes. */
  nz: number;
  /** Whether its encoder and training weights came with it: projection and constraints need both. */
  canEdit: boolean;
  directions: LatentDirection[];
  /** What was done or is missing (directions computed from 2000 samples, no encoder beside the model, …). */
  notes: string[];
}

/** A latent code and the image the generator makes of it. */
export interface LatentSample {
  code: number[];
  /** The generated image at the model's size, a PNG data URL. */
  dataUrl: string;
}

/** A real image projected into the latent space. */
export interface LatentProjection {
  /** The image as the model sees it (centre-cropped and resized to its size), a PNG data URL. */
  target: string;
  /** The encoder's guess alone, and its reconstruction error (mean absolute error on 0–1 pixels). */
  encoder: LatentSample & { error: number };
  /** The guess refined by gradient steps through the generator, and its error. */
  refined: LatentSample & { error: number };
  /** The error after each refinement step. */
  errors: number[];
  ms: number;
  notes: string[];
}

/** One result of fitting a code to painted constraints. */
export interface LatentCandidate extends LatentSample {
  /** The constraint loss it reached (lower fits better); candidates come best first. */
  loss: number;
}

/** The candidates of one constraint update and how long it took. */
export interface LatentConstraintResult {
  candidates: LatentCandidate[];
  ms: number;
  notes: string[];
}

/** A folder's images ranked by a trained critic: the least typical first. */
export interface CriticRanking {
  images: {
    path: string;
    name: string;
    /** The critic's score: higher looks more like the training set. */
    score: number;
    /** Far below the folder's typical score (robust z-score under −3.5). */
    outlier: boolean;
    /** The image as the critic saw it (centre square, small PNG data URL), for the least typical ones. */
    thumbnail?: string;
  }[];
  median: number;
  /** Images that could not be read, each with its reason. */
  failures: { path: string; message: string }[];
  notes: string[];
}

/**
 * Pixels as the live canvas and the engine pass them: 8-bit samples, row by row, as bytes (IPC
 * and the web host's socket carry them as they are). Raw pixels, not PNG or base64, so that
 * neither side spends a stroke's time encoding and decoding.
 */
export interface RawPixels {
  width: number;
  height: number;
  /** Samples per pixel: 1 (gray), 3 (RGB) or 4 (RGBA). */
  channels: 1 | 3 | 4;
  /** `width × height × channels` bytes. */
  data: Uint8Array;
}

/** A drawing translated by an image-to-image model (sketch → photo, gray → colour). */
export interface TranslateResult {
  modelId: string;
  /** The model's output at the model's size: 3 channels, or 1 for a gray model. */
  pixels: RawPixels;
  /** Milliseconds the model itself ran, and the whole call (conversion, model, reply). */
  modelMs: number;
  totalMs: number;
  provider: string;
  /** What was done to fit the model (resized from 640×480 to 256×256, …). */
  notes: string[];
}

/** A model run on one image: input and output as file paths (read with `files:image`). */
export interface ModelRunResult {
  modelId: string;
  inputPath: string;
  outputPath: string;
  ms: number;
  provider: string;
  /** What was done to fit the model (resized from 640×480 to 128×128, …). */
  notes: string[];
}

/** What a training run reports while it trains. Images travel as file paths, never pixels. */
export type TrainingEvent =
  | {
      type: 'started';
      backend: string;
      backendDetail: string;
      totalSteps: number;
      stepsPerEpoch: number;
      resumedFrom: number | null;
    }
  | {
      type: 'progress';
      step: number;
      totalSteps: number;
      epoch: number;
      /** Losses averaged over the steps since the previous progress event. */
      losses: Record<string, number>;
      itPerSec: number;
      etaSec: number;
      lr: number;
    }
  | { type: 'sample'; step: number; path: string }
  | { type: 'checkpoint'; step: number; path: string; sha256: string; bytes: number }
  | {
      type: 'eval';
      step: number;
      epoch: number;
      /** Held-out translation quality, where held-out pairs exist (pix2pix; CycleGAN with test pairs). */
      l1?: number;
      psnr?: number;
      ssim?: number;
      baselineL1?: number;
      /**
       * `hole` when the figures are measured inside seeded held-out holes (inpainting) and the
       * baseline is the border-mean fill; `mean` when they are the latent GAN's reconstructions
       * G(E(x)) of held-out images and the baseline is their mean image; copy-the-input otherwise.
       */
      baseline?: 'copy' | 'hole' | 'mean';
      /** Cycle-reconstruction L1 on held-out images (CycleGAN): |G_B(G_A(a)) − a| and |G_A(G_B(b)) − b|. */
      cycleA?: number;
      cycleB?: number;
      /** The latent GAN critic's Wasserstein estimate: mean score of held-out images minus samples'. */
      wasserstein?: number;
    }
  | { type: 'warning'; message: string }
  | { type: 'done'; step: number; stopped: boolean }
  | {
      type: 'error';
      message: string;
      /** The process died without reporting: the run is resumable. */ crashed?: boolean;
    };

/** Payloads of the methods, one per channel. `void` means the method takes none. */
export interface Payloads {
  'app:info': void;
  'projects:list': void;
  'projects:create': { name: string };
  'projects:open': { id: string };
  'projects:rename': { id: string; name: string };
  'projects:delete': { id: string };
  'dialog:pick-folder': { title?: string };
  'fs:list-folder': { path?: string };
  'datasets:import': {
    projectId: string;
    root: string;
    mode?: DatasetView['mode'];
    secondRoot?: string;
    name?: string;
  };
  'datasets:list': { projectId: string };
  'datasets:demo': { projectId: string };
  'datasets:preview': {
    datasetId: string;
    derive?: DeriveKind;
    count?: number;
    seed?: number;
    /** `square`: preview the latent GAN's square centre crop instead of training pairs. */
    crop?: 'square';
  };
  'runs:start': { projectId: string; settings: TrainSettings };
  'runs:stop': { runId: string };
  'runs:resume': { runId: string };
  'runs:list': { projectId: string };
  'runs:get': { runId: string };
  'files:image': { path: string };
  'models:list': { projectId: string };
  /** `direction` picks a CycleGAN generator (A→B by default). */
  'models:export': { runId: string; checkpointStep?: number; name?: string; direction?: 'AtoB' | 'BtoA' };
  'models:import': { projectId: string; path: string; name?: string };
  'models:delete': { modelId: string };
  /** `half`: the image is an aligned A|B pair and the model runs on that half of it. */
  'models:run': { modelId: string; imagePath: string; maskPath?: string; half?: 'left' | 'right' };
  /** Any image file on this machine (PNG, JPEG, WebP, TIFF, GIF, BMP) for the canvas of a project. */
  'canvas:open': { projectId: string; path: string };
  /** A mask image file for an open canvas image: must have that image's size; white = hole. */
  'canvas:open-mask': { path: string; width: number; height: number };
  /**
   * Fills the hole of a canvas image with an inpainting model. `mask` is a PNG data URL of the
   * image's size, white (or opaque) where to fill; `feather` softens the hole's edge inwards by
   * that many pixels (0 = hard edge).
   */
  'canvas:fill': { modelId: string; imagePath: string; mask: string; feather?: number };
  /**
   * Translates a drawing (pixels of any size; transparency counts as white) with an image-to-image
   * model; the drawing is resized to the model's size and converted to its channels. `pageSize`
   * is the size the person drew at, where the canvas already scaled the pixels down to the
   * model's size, so the note names it. `hints` (RGBA, for models with `takesHints`) marks colour
   * hints: each opaque pixel asks for its colour there; resized to the model's size like the
   * drawing. A `preview` (an update while the person is still drawing) runs at below-normal
   * priority in a worker of its own, so drawing stays smooth and the request sent when the
   * stroke ends runs at once beside it.
   */
  'canvas:translate': {
    modelId: string;
    image: RawPixels;
    pageSize?: { width: number; height: number };
    hints?: RawPixels;
    preview?: boolean;
  };
  /** Opens a latent generator (a `latent` model) for editing; computes its principal directions once. */
  'latent:open': { modelId: string };
  /** The generator's images for the given codes (each of the model's `nz` numbers). */
  'latent:sample': { modelId: string; codes: number[][] };
  /** `count` codes drawn from the prior (seeded when `seed` is given) and their images. */
  'latent:random': { modelId: string; count: number; seed?: number };
  /**
   * Projects an image file into the latent space: the encoder's guess, refined by `steps`
   * gradient steps (default 100). Mixed sizes and aspect ratios are centre-cropped.
   */
  'latent:project': { modelId: string; path: string; steps?: number };
  /**
   * Fits codes to painted constraints, starting from `code` and from `starts − 1` other starts.
   * `color` and `sketch` are square PNG data URLs over the image: opaque pixels of `color` ask for
   * their colour there, opaque pixels of `sketch` ask for an edge there. Returns the best candidates.
   */
  'latent:constrain': {
    modelId: string;
    code: number[];
    color?: string;
    sketch?: string;
    starts?: number;
    steps?: number;
  };
  /** Saves a direction (any non-zero vector of the model's `nz` numbers) under a name. */
  'latent:save-direction': { modelId: string; name: string; vector: number[] };
  'latent:delete-direction': { modelId: string; directionId: string };
  /** Ranks a folder's images by the model's critic, least typical first. */
  'latent:rank': { modelId: string; folder: string };
}

/** Results of the methods, one per channel. */
export interface Results {
  'app:info': AppInfo;
  'projects:list': Project[];
  'projects:create': Project;
  'projects:open': Project;
  'projects:rename': Project;
  'projects:delete': { id: string };
  'dialog:pick-folder': string | null;
  'fs:list-folder': FolderListing;
  'datasets:import': DatasetView;
  'datasets:list': DatasetView[];
  'datasets:demo': DatasetView;
  'datasets:preview': PreviewPair[];
  'runs:start': RunView;
  'runs:stop': RunView;
  'runs:resume': RunView;
  'runs:list': RunView[];
  'runs:get': RunDetail;
  /** A PNG or JPEG from the data directory or a dataset folder, as a data URL. */
  'files:image': string;
  'models:list': ModelView[];
  /** Refused (code `parity`) with the figure when tfjs and ONNX Runtime disagree by more than 1e-4. */
  'models:export': ModelView;
  'models:import': ModelView;
  'models:delete': { id: string };
  'models:run': ModelRunResult;
  'canvas:open': CanvasImage;
  /** The mask as a PNG data URL, white in the hole and black elsewhere. */
  'canvas:open-mask': string;
  'canvas:fill': FillResult;
  'canvas:translate': TranslateResult;
  'latent:open': LatentModelInfo;
  'latent:sample': { images: string[]; ms: number };
  'latent:random': { samples: LatentSample[]; ms: number };
  'latent:project': LatentProjection;
  'latent:constrain': LatentConstraintResult;
  'latent:save-direction': LatentDirection;
  'latent:delete-direction': { id: string };
  'latent:rank': CriticRanking;
}

/** A channel name, `domain:verb`. */
export type Channel = keyof Payloads;

/** Payloads of the events main pushes to every window. */
export interface Events {
  'projects:changed': Project[];
  'app:notice': Notice;
  'train:event': { runId: string; event: TrainingEvent };
  'models:changed': { projectId: string };
}

/** An event name. */
export type EventName = keyof Events;

/** How a method call travels and comes back: never a thrown error across the boundary. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

type Method<C extends Channel> = Payloads[C] extends void
  ? () => Promise<Results[C]>
  : (payload: Payloads[C]) => Promise<Results[C]>;

/** The API the renderer sees as `window.studio`. */
export interface StudioApi {
  getAppInfo: Method<'app:info'>;
  listProjects: Method<'projects:list'>;
  createProject: Method<'projects:create'>;
  openProject: Method<'projects:open'>;
  renameProject: Method<'projects:rename'>;
  deleteProject: Method<'projects:delete'>;
  pickFolder: Method<'dialog:pick-folder'>;
  listFolder: Method<'fs:list-folder'>;
  importDataset: Method<'datasets:import'>;
  listDatasets: Method<'datasets:list'>;
  createDemoDataset: Method<'datasets:demo'>;
  previewDataset: Method<'datasets:preview'>;
  startRun: Method<'runs:start'>;
  stopRun: Method<'runs:stop'>;
  resumeRun: Method<'runs:resume'>;
  listRuns: Method<'runs:list'>;
  getRun: Method<'runs:get'>;
  readImage: Method<'files:image'>;
  listModels: Method<'models:list'>;
  exportModel: Method<'models:export'>;
  importModel: Method<'models:import'>;
  deleteModel: Method<'models:delete'>;
  runModel: Method<'models:run'>;
  openCanvasImage: Method<'canvas:open'>;
  openCanvasMask: Method<'canvas:open-mask'>;
  fillHole: Method<'canvas:fill'>;
  translateDrawing: Method<'canvas:translate'>;
  openLatent: Method<'latent:open'>;
  sampleLatent: Method<'latent:sample'>;
  randomLatent: Method<'latent:random'>;
  projectLatent: Method<'latent:project'>;
  constrainLatent: Method<'latent:constrain'>;
  saveLatentDirection: Method<'latent:save-direction'>;
  deleteLatentDirection: Method<'latent:delete-direction'>;
  rankWithCritic: Method<'latent:rank'>;
  /** The path of a dropped file, or null where the transport cannot know it. */
  getPathForFile: (file: File) => string | null;
  onProjectsChanged: (cb: (projects: Events['projects:changed']) => void) => () => void;
  onNotice: (cb: (notice: Events['app:notice']) => void) => () => void;
  onTrainingEvent: (cb: (event: Events['train:event']) => void) => () => void;
  onModelsChanged: (cb: (event: Events['models:changed']) => void) => () => void;
}

/** The prefix of event channels in Electron IPC, so they never collide with method channels. */
export const EVENT_PREFIX = 'event:';

/** What a transport must provide so `createStudioApi` can build the API on top of it. */
export interface Transport {
  call(channel: Channel, payload: unknown): Promise<Envelope<unknown>>;
  subscribe(event: EventName, cb: (payload: unknown) => void): () => void;
  getPathForFile(file: File): string | null;
}

/** The error a failed call rejects with; `code` says what kind of failure it was. */
export class StudioCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StudioCallError';
  }
}

/** Builds `StudioApi` over a transport, identically for Electron and the web host. */
export function createStudioApi(transport: Transport): StudioApi {
  const call =
    <C extends Channel>(channel: C) =>
    async (payload?: Payloads[C]): Promise<Results[C]> => {
      const envelope = await transport.call(channel, payload);
      if (envelope.ok) return envelope.value as Results[C];
      throw new StudioCallError(envelope.error.code, envelope.error.message);
    };
  const on =
    <E extends EventName>(event: E) =>
    (cb: (payload: Events[E]) => void) =>
      transport.subscribe(event, (payload) => cb(payload as Events[E]));
  return {
    getAppInfo: call('app:info'),
    listProjects: call('projects:list'),
    createProject: call('projects:create'),
    openProject: call('projects:open'),
    renameProject: call('projects:rename'),
    deleteProject: call('projects:delete'),
    pickFolder: call('dialog:pick-folder'),
    listFolder: call('fs:list-folder'),
    importDataset: call('datasets:import'),
    listDatasets: call('datasets:list'),
    createDemoDataset: call('datasets:demo'),
    previewDataset: call('datasets:preview'),
    startRun: call('runs:start'),
    stopRun: call('runs:stop'),
    resumeRun: call('runs:resume'),
    listRuns: call('runs:list'),
    getRun: call('runs:get'),
    readImage: call('files:image'),
    listModels: call('models:list'),
    exportModel: call('models:export'),
    importModel: call('models:import'),
    deleteModel: call('models:delete'),
    runModel: call('models:run'),
    openCanvasImage: call('canvas:open'),
    openCanvasMask: call('canvas:open-mask'),
    fillHole: call('canvas:fill'),
    translateDrawing: call('canvas:translate'),
    openLatent: call('latent:open'),
    sampleLatent: call('latent:sample'),
    randomLatent: call('latent:random'),
    projectLatent: call('latent:project'),
    constrainLatent: call('latent:constrain'),
    saveLatentDirection: call('latent:save-direction'),
    deleteLatentDirection: call('latent:delete-direction'),
    rankWithCritic: call('latent:rank'),
    getPathForFile: (file) => transport.getPathForFile(file),
    onProjectsChanged: on('projects:changed'),
    onNotice: on('app:notice'),
    onTrainingEvent: on('train:event'),
    onModelsChanged: on('models:changed'),
  } satisfies StudioApi;
}
