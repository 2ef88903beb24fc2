import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { probeInferenceProviders } from '../runtime-probe';

/** An ONNX Runtime session and the execution provider it actually runs on. */
export interface OrtSession {
  session: ort.InferenceSession;
  provider: string;
  /** Providers tried before the one used, each with why it was passed over. */
  skipped: { name: string; reason: string }[];
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
 * Opens a model on the first execution provider that works, in the platform's order (CUDA on
 * Linux, DirectML on Windows, CoreML on macOS, then CPU). `only` forces one provider. Providers
 * that are not installed or fail to start are skipped with their reason; the CPU provider's
 * error (a bad model) is thrown.
 */
export async function openOrtSession(
  model: string | Uint8Array,
  o: { only?: string; threads?: number } = {},
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
      const session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, options)
          : await ort.InferenceSession.create(model, options);
      return { session, provider: candidate.name, skipped };
    } catch (error) {
      if (last) throw error;
      skipped.push({ name: candidate.name, reason: (error as Error).message.split('\n')[0] ?? 'failed' });
    }
  }
  throw new Error(
    `No execution provider could run the model: ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`,
  );
}
