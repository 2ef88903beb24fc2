import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { StudioError } from '../errors';
import { checkRuns, describeInfo, openModelSession, readOnnxInfo } from './describe-model';
import type { ModelDescription } from './model-jobs';

/** A model opened for inference: its session, the provider it runs on, and its image contract. */
export interface LoadedModel {
  path: string;
  session: ort.InferenceSession;
  provider: string;
  /** Providers passed over before the one used, with the reason. */
  skipped: { name: string; reason: string }[];
  description: ModelDescription;
}

/** Opens and validates a model file: a `bad-input` StudioError naming the file when it cannot run. */
export async function loadModel(path: string, provider?: string): Promise<LoadedModel> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StudioError('not-found', `The model file ${path} does not exist.`);
    if (code === 'EISDIR') throw new StudioError('bad-input', `${path} is a folder, not an ONNX model file.`);
    throw new StudioError('io', `Cannot read the model file ${path}: ${(error as Error).message}`);
  }
  const info = readOnnxInfo(path, bytes);
  const opened = await openModelSession(path, bytes, provider);
  try {
    const description = await checkRuns(path, opened.session, describeInfo(path, info, opened.provider));
    return { path, ...opened, description };
  } catch (error) {
    await opened.session.release();
    throw error;
  }
}

/**
 * Open sessions kept for the next job, keyed by the model file's path, modification time and
 * size (a rewritten file is opened afresh) and the provider asked for. The least recently used
 * session beyond `capacity` is released, as is the entry of a file that changed. Callers use
 * one model at a time (the worker runs jobs in turn), so an evicted session is never running.
 */
export class SessionCache {
  private readonly entries = new Map<
    string,
    { path: string; provider: string; model: Promise<LoadedModel> }
  >();

  constructor(
    readonly capacity = 2,
    private readonly load: (path: string, provider?: string) => Promise<LoadedModel> = loadModel,
  ) {}

  /** The number of sessions held (or opening). */
  get size(): number {
    return this.entries.size;
  }

  /** The model at `path`, opened on `provider` (the platform's order when absent), from the cache if it is there. */
  async get(path: string, provider?: string): Promise<LoadedModel> {
    const file = resolve(path);
    let stats;
    try {
      stats = statSync(file);
    } catch {
      throw new StudioError('not-found', `The model file ${file} does not exist.`);
    }
    const key = `${file}\n${stats.mtimeMs}\n${stats.size}\n${provider ?? ''}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.model;
    }
    for (const [stale, entry] of [...this.entries]) {
      if (entry.path === file && entry.provider === (provider ?? '')) void this.evict(stale);
    }
    const model = this.load(file, provider);
    this.entries.set(key, { path: file, provider: provider ?? '', model });
    model.catch(() => {
      if (this.entries.get(key)?.model === model) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) void this.evict(this.entries.keys().next().value as string);
    return model;
  }

  /** Releases every session. */
  async clear(): Promise<void> {
    const all = [...this.entries.keys()];
    await Promise.all(all.map((key) => this.evict(key)));
  }

  private evict(key: string): Promise<void> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (!entry) return Promise.resolve();
    return entry.model.then(
      (m) => m.session.release().catch(() => undefined),
      () => undefined,
    );
  }
}
