import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { splitPhaseDeconvs } from '../../../models/onnx/phase-deconv';
import { probeInferenceProviders } from '../runtime-probe';

/** An ONNX Runtime session and the execution provider it actually runs on. */
export interface OrtSession {
  session: ort.InferenceSession;
  provider: string;
  /** Providers tried before the one used, each with why it was passed over. */
  skipped: { name: string; reason: string }[];
  /** Transposed convolutions run as four phase convolutions (on the CPU provider; see `splitPhaseDeconvs`). */
  splitDeconvs: number;
}

/** Whether this process runs in the background (a low-priority worker): sessions then stay small. */
let background = false;

/**
 * Makes the sessions this process opens from now on background ones: one intra-op thread that
 * does not spin while it waits. A low-priority process is often descheduled mid-operator; its
 * other threads would spin on the CPU the foreground needs, and one thread leaves a core free.
 */
export function runSessionsInBackground(): void {
  background = true;
}

/**
 * How sessions are created: every graph optimisation, one intra-op thread per core unless told
 * (one, without spinning, in a background process).
 */
export function sessionOptions(provider: string, threads?: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: threads ?? (background ? 1 : availableParallelism()),
    interOpNumThreads: 1,
    ...(background ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
  };
}

/**
 * The model as the CPU provider runs it fastest: its 4×4 stride-2 transposed convolutions split
 * into phase convolutions (`splitPhaseDeconvs`), or the model as given where none qualify or the
 * file cannot be read as ONNX here (ONNX Runtime then says what is wrong with it).
 */
async function cpuModel(model: string | Uint8Array): Promise<{ model: string | Uint8Array; split: number }> {
  try {
    const bytes = typeof model === 'string' ? await readFile(model) : model;
    const { bytes: split, split: count } = splitPhaseDeconvs(bytes);
    return count > 0 ? { model: split, split: count } : { model, split: 0 };
  } catch {
    return { model, split: 0 };
  }
}

/** Creates a session from a path or bytes (two overloads of `create`, which a union argument cannot pick). */
async function createSession(
  model: string | Uint8Array,
  options: ort.InferenceSession.SessionOptions,
): Promise<ort.InferenceSession> {
  return typeof model === 'string'
    ? await ort.InferenceSession.create(model, options)
    : await ort.InferenceSession.create(model, options);
}

/**
 * Opens a model on the first execution provider that works, in the platform's order (CUDA on
 * Linux, DirectML on Windows, CoreML on macOS, then CPU). `only` forces one provider. Providers
 * that are not installed or fail to start are skipped with their reason; the CPU provider's
 * error (a bad model) is thrown. On the CPU provider the model's transposed convolutions run
 * split into phases unless `unsplit`; should the split model fail to open, the model opens as given.
 */
export async function openOrtSession(
  model: string | Uint8Array,
  o: { only?: string; threads?: number; unsplit?: boolean } = {},
): Promise<OrtSession> {
  const skipped: OrtSession['skipped'] = [];
  const candidates = probeInferenceProviders().filter((p) => !o.only || p.name === o.only);
  if (o.only && candidates.length === 0)
    throw new Error(`The execution provider "${o.only}" is not known here.`);
  for (const candidate of candidates) {
    if (!candidate.available) {
      skipped.push({ name: candidate.name, reason: candidate.detail });
      continue;
    }
    const last = candidate === candidates.at(-1);
    try {
      const options = sessionOptions(candidate.name, o.threads);
      if (candidate.name === 'cpu' && !o.unsplit) {
        const split = await cpuModel(model);
        if (split.split > 0) {
          const session = await createSession(split.model, options).catch(() => null);
          if (session) return { session, provider: candidate.name, skipped, splitDeconvs: split.split };
        }
      }
      const session = await createSession(model, options);
      return { session, provider: candidate.name, skipped, splitDeconvs: 0 };
    } catch (error) {
      if (last) throw error;
      skipped.push({ name: candidate.name, reason: (error as Error).message.split('\n')[0] ?? 'failed' });
    }
  }
  throw new Error(
    `No execution provider could run the model: ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`,
  );
}
