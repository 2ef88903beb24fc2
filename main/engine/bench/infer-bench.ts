import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { Graph } from '../../../models/graph';
import { emitOnnx, type WeightValue } from '../../../models/onnx/emit-onnx';
import { initParams } from '../../../models/params';
import { resnetGenerator } from '../../../models/resnet';
import { unetGenerator, type NormKind } from '../../../models/unet';
import { openOrtSession } from '../inference/ort-session';
import { selectBackend } from '../training/tf-backend';

/** One inference benchmark result: median milliseconds per image in ONNX Runtime. */
export interface InferBenchLine {
  case: string;
  infer_ms: number;
  /** The fastest single run, for a noisy machine. */
  min_ms: number;
  provider: string;
  runtime: string;
  threads: number;
  /** Timed runs that completed (after the warm-up). */
  steps: number;
  /** The shape of the image each run returned (batch 1, NCHW). */
  output: number[];
  /** `ganstudio` for our own export, else the ONNX file timed. */
  graph: string;
  norm?: NormKind;
  /** Transposed convolutions ONNX Runtime ran split into phase convolutions. */
  split_deconvs: number;
}

/** Options of `ganstudio bench infer`. */
export interface InferBenchOptions {
  model: 'pix2pix' | 'cyclegan';
  size: number;
  steps: number;
  ngf: number;
  /** Times this ONNX file instead of our export of `model`. */
  onnx?: string;
  /** Intra-op threads; one per core unless given. */
  threads?: number;
  /** Overrides the generator's normalisation (pix2pix: batch, cyclegan: instance). */
  norm?: NormKind;
  warmup?: number;
  /** Times the graphs as their files have them, without splitting transposed convolutions. */
  unsplit?: boolean;
}

/** The case's name as the peer prints it, and the normalisation its generator uses. */
export function benchCase(o: Pick<InferBenchOptions, 'model' | 'size' | 'ngf' | 'norm'>): {
  name: string;
  norm: NormKind;
} {
  if (o.model === 'pix2pix') return { name: `pix2pix-unet${o.size}-ngf${o.ngf}`, norm: o.norm ?? 'batch' };
  const blocks = o.size >= 256 ? 9 : 6;
  return { name: `cyclegan-resnet${blocks}-${o.size}-ngf${o.ngf}`, norm: o.norm ?? 'instance' };
}

/** The peer's generator for a case: U-Net (unet_128 / unet_256) or ResNet (6 blocks, 9 from 256 px). */
export function benchGenerator(o: Pick<InferBenchOptions, 'model' | 'size' | 'ngf' | 'norm'>): Graph {
  const { norm } = benchCase(o);
  const io = { inChannels: 3, outChannels: 3, ngf: o.ngf, dropout: o.model === 'pix2pix', norm };
  return o.model === 'pix2pix'
    ? unetGenerator({ ...io, size: o.size })
    : resnetGenerator({ ...io, blocks: o.size >= 256 ? 9 : 6 });
}

/** Emits a graph with freshly initialised (seeded) weights, as an untrained export would be. */
export async function emitSeeded(graph: Graph, size: number, seed = 0): Promise<Uint8Array> {
  if (!tf.getBackend()) await selectBackend('auto');
  const params = initParams(graph, `bench-infer-${seed}-${Math.random().toString(36).slice(2)}`, seed);
  try {
    const weights = new Map<string, WeightValue>();
    for (const [name, variable] of params) {
      weights.set(name, { shape: variable.shape, values: (await variable.data()) as Float32Array });
    }
    return emitOnnx(graph, weights, {
      height: size,
      width: size,
      metadata: { kind: 'bench' },
      producerVersion: 'bench',
    });
  } finally {
    for (const variable of params.values()) variable.dispose();
  }
}

/** Deterministic inputs in [-1, 1) (a small LCG), so every graph sees the same image. */
function benchInput(dims: number[]): Float32Array {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  let state = 12345;
  for (let i = 0; i < data.length; i += 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state / 2 ** 31 - 1;
  }
  return data;
}

/** The input's shape with batch 1: named dimensions become 1, unknown spatial ones `size`. */
function inputDims(session: ort.InferenceSession, size: number): { name: string; dims: number[] } {
  const meta = session.inputMetadata[0];
  if (!meta) throw new Error('the model has no input');
  const shape = meta.isTensor && meta.shape.length === 4 ? meta.shape : ['batch', 3, size, size];
  const dims = shape.map((d, i) => (typeof d === 'number' && d > 0 ? d : i === 0 ? 1 : i === 1 ? 3 : size));
  return { name: meta.name, dims };
}

/** What timing one session gave: each timed run's ms and the shape of the image it returned. */
export interface SessionTimes {
  times: number[];
  output: number[];
}

/**
 * Runs every session `warmup` times, then `steps` timed rounds in which each session runs once
 * in turn, so that load from elsewhere on the machine falls on all of them alike.
 */
export async function timeSessions(
  sessions: ort.InferenceSession[],
  size: number,
  steps: number,
  warmup = 3,
): Promise<SessionTimes[]> {
  const runs = sessions.map((session) => {
    const { name, dims } = inputDims(session, size);
    const feeds = { [name]: new ort.Tensor('float32', benchInput(dims), dims) };
    return { session, feeds, times: [] as number[], output: [] as number[] };
  });
  for (let i = 0; i < warmup + steps; i += 1) {
    for (const run of runs) {
      const start = performance.now();
      const result = await run.session.run(run.feeds);
      const elapsed = performance.now() - start;
      const first = result[run.session.outputNames[0] ?? ''];
      run.output = first ? [...first.dims] : [];
      for (const value of Object.values(result)) value.dispose();
      if (i >= warmup) run.times.push(elapsed);
    }
  }
  return runs.map(({ times, output }) => ({ times, output }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Times one generator in ONNX Runtime on the CPU provider with the studio's session options:
 * our export of the peer's network (seeded weights), or, with `onnx`, any ONNX file under the
 * exact same harness. Batch 1, deterministic input, median ms per image.
 */
export async function benchInfer(options: InferBenchOptions): Promise<InferBenchLine> {
  const [line] = await benchGraphs(options, [options.onnx ?? null]);
  if (!line) throw new Error('nothing was timed');
  return line;
}

/**
 * Times our export and an ONNX file side by side in one process, alternating run by run with
 * the same harness and session options: the fair way to compare them on a busy machine.
 */
export async function benchInferVersus(options: InferBenchOptions, file: string): Promise<InferBenchLine[]> {
  return benchGraphs({ ...options, onnx: undefined }, [null, file]);
}

/** Opens each graph (null: our export) and times them together; one line each, in order. */
async function benchGraphs(options: InferBenchOptions, graphs: (string | null)[]): Promise<InferBenchLine[]> {
  const benchmark = benchCase(options);
  const threads = options.threads ?? availableParallelism();
  const opened: Awaited<ReturnType<typeof openOrtSession>>[] = [];
  try {
    for (const file of graphs) {
      const model = file
        ? new Uint8Array(await readFile(file))
        : await emitSeeded(benchGenerator(options), options.size);
      opened.push(await openOrtSession(model, { only: 'cpu', threads, unsplit: options.unsplit }));
    }
    const timed = await timeSessions(
      opened.map((o) => o.session),
      options.size,
      options.steps,
      options.warmup,
    );
    return timed.map(({ times, output }, i) => ({
      case: benchmark.name,
      infer_ms: round(median(times)),
      min_ms: round(Math.min(...times)),
      provider: opened[i]?.provider ?? 'cpu',
      runtime: `onnxruntime-node ${ort.env.versions.node ?? ort.env.versions.common}`,
      threads,
      steps: times.length,
      output,
      graph: graphs[i] ?? 'ganstudio',
      ...(graphs[i] ? {} : { norm: benchmark.norm }),
      split_deconvs: opened[i]?.splitDeconvs ?? 0,
    }));
  } finally {
    for (const { session } of opened) await session.release();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
