import { fork } from 'node:child_process';
import { StudioError, type ErrorCode } from '../errors';
import {
  LOW_PRIORITY_ARG,
  type JobResults,
  type ModelJob,
  type WorkerCommand,
  type WorkerReply,
} from './model-jobs';

/** The worker process as the host needs it; Electron's utilityProcess fits the same shape. */
export interface ModelWorkerProcess {
  send(command: WorkerCommand): void;
  onMessage(cb: (reply: WorkerReply) => void): void;
  /** Called once when the process ends: its exit code, or the signal that ended it. */
  onExit(cb: (code: number | null, signal?: string | null) => void): void;
  kill(): void;
  /** Stops every thread of the process (true) until resumed (false); absent where the OS cannot. */
  pause?(paused: boolean): void;
}

/** Pauses or resumes process `pid` with SIGSTOP / SIGCONT; Windows has no such signals. */
export function signalPause(pid: number | undefined, paused: boolean): void {
  if (pid === undefined || process.platform === 'win32') return;
  try {
    process.kill(pid, paused ? 'SIGSTOP' : 'SIGCONT');
  } catch {
    // The process has already ended: its exit is reported apart.
  }
}

/** How a model worker runs: `lowPriority` asks the OS to give it only CPU time others leave. */
export interface WorkerOptions {
  lowPriority?: boolean;
}

/** Starts a model worker; the default forks the built worker script with plain Node. */
export type SpawnModelWorker = (o?: WorkerOptions) => ModelWorkerProcess;

/** The worker's command-line arguments for `o`. */
export function workerArgs(o: WorkerOptions = {}): string[] {
  return o.lowPriority ? [LOW_PRIORITY_ARG] : [];
}

/** Forks `script` with Node (`execArgv` lets tests run TypeScript through tsx). */
export function forkModelWorker(script: string, execArgv: string[] = []): SpawnModelWorker {
  return (o) => {
    const child = fork(script, workerArgs(o), {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    let exited = false;
    return {
      send: (command) => {
        if (child.connected) child.send(command);
      },
      onMessage: (cb) => child.on('message', (message) => cb(message as WorkerReply)),
      onExit: (cb) => {
        const once = (code: number | null, signal: string | null): void => {
          if (exited) return;
          exited = true;
          cb(code, signal);
        };
        child.on('exit', once);
        child.on('error', () => {
          if (child.pid === undefined) once(null, 'spawn-failure');
        });
      },
      kill: () => void child.kill('SIGKILL'),
      pause: (paused) => signalPause(child.pid, paused),
    };
  };
}

/** Progress of a running job, as the worker reports it. */
export interface JobProgress {
  stage: string;
  done: number;
  total: number;
}

/** Options of `ModelHost.run`. */
export interface RunOptions {
  onProgress?: (progress: JobProgress) => void;
  /** Aborting asks the worker to stop the job; it then rejects with a `cancelled` StudioError. */
  signal?: AbortSignal;
}

interface Pending {
  resolve: (result: never) => void;
  reject: (error: StudioError) => void;
  onProgress?: (progress: JobProgress) => void;
}

interface Worker {
  process: ModelWorkerProcess;
  pending: Map<number, Pending>;
}

const ERROR_CODES = new Set<string>([
  'invalid-payload',
  'unknown-channel',
  'forbidden',
  'not-found',
  'conflict',
  'unsupported',
  'io',
  'bad-input',
  'parity',
  'cancelled',
  'internal',
]);

function toError(reply: Extract<WorkerReply, { type: 'error' }>): StudioError {
  return new StudioError(ERROR_CODES.has(reply.code) ? (reply.code as ErrorCode) : 'internal', reply.message);
}

/**
 * Runs model jobs (export, inference, description) in a worker process so that ONNX Runtime and
 * tfjs never block the caller. The worker starts on the first job and runs jobs in turn; if it
 * dies, its jobs reject with an `internal` error and the next job starts a fresh one.
 */
export class ModelHost {
  private worker: Worker | null = null;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly spawn: SpawnModelWorker,
    private readonly options: WorkerOptions = {},
  ) {}

  /** Jobs sent and not yet answered. */
  get pendingJobs(): number {
    return this.worker?.pending.size ?? 0;
  }

  /** Runs a job in the worker; resolves with its result or rejects with a StudioError. */
  run<K extends ModelJob['kind']>(
    job: Extract<ModelJob, { kind: K }>,
    options: RunOptions = {},
  ): Promise<JobResults[K]> {
    if (this.closed) return Promise.reject(new StudioError('cancelled', 'The model host has been closed.'));
    const { signal } = options;
    if (signal?.aborted) {
      return Promise.reject(
        new StudioError('cancelled', `The ${job.kind} job was cancelled before it started.`),
      );
    }
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (error) {
      return Promise.reject(
        new StudioError('internal', `The model worker could not be started: ${(error as Error).message}`),
      );
    }
    const id = this.nextId++;
    return new Promise<JobResults[K]>((resolve, reject) => {
      const onAbort = (): void => worker.process.send({ type: 'cancel', id });
      const settle = (): void => signal?.removeEventListener('abort', onAbort);
      worker.pending.set(id, {
        resolve: (result) => {
          settle();
          resolve(result);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        onProgress: options.onProgress,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.process.send({ type: 'job', id, job });
    });
  }

  /** Whether a worker is running (or starting). */
  get started(): boolean {
    return this.worker !== null;
  }

  /**
   * Stops the worker's process where it stands, job and all (true), or lets it go on (false),
   * so that work of another host gets the CPU; nothing is lost or restarted.
   */
  pause(paused: boolean): void {
    this.worker?.process.pause?.(paused);
  }

  /** Kills the worker; jobs still running reject with a `cancelled` error, and later runs are refused. */
  close(): void {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    worker.process.kill();
    this.rejectAll(
      worker,
      new StudioError('cancelled', 'The model host was closed before the job finished.'),
    );
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker: Worker = { process: this.spawn(this.options), pending: new Map() };
    this.worker = worker;
    worker.process.onMessage((reply) => this.onReply(worker, reply));
    worker.process.onExit((code, signal) => {
      if (this.worker === worker) this.worker = null;
      const how = code !== null ? `exit code ${code}` : `signal ${signal ?? 'unknown'}`;
      this.rejectAll(
        worker,
        new StudioError(
          'internal',
          `The model worker stopped unexpectedly (${how}); the next job starts a new one.`,
        ),
      );
    });
    return worker;
  }

  private onReply(worker: Worker, reply: WorkerReply): void {
    const pending = worker.pending.get(reply.id);
    if (!pending) return;
    if (reply.type === 'progress') {
      pending.onProgress?.({ stage: reply.stage, done: reply.done, total: reply.total });
      return;
    }
    worker.pending.delete(reply.id);
    if (reply.type === 'result') pending.resolve(reply.result as never);
    else pending.reject(toError(reply));
  }

  private rejectAll(worker: Worker, error: StudioError): void {
    const pending = [...worker.pending.values()];
    worker.pending.clear();
    for (const p of pending) p.reject(error);
  }
}
