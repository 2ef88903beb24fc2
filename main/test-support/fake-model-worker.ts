import type { SpawnModelWorker, WorkerOptions } from '../engine/inference/model-host';
import type { ModelJob, WorkerCommand, WorkerReply } from '../engine/inference/model-jobs';

/** One fake worker process: what it was sent, and hands to answer, crash or see it killed. */
export interface FakeProcess {
  sent: WorkerCommand[];
  reply: (r: WorkerReply) => void;
  exit: (code: number) => void;
  killed: boolean;
  /** Whether the process is paused now (its last pause call). */
  readonly paused: boolean;
  /** Every pause (true) and resume (false), in order. */
  pauses: boolean[];
  /** The jobs sent to it, in order. */
  jobs: () => { id: number; job: ModelJob }[];
  /** Answers its job `id` with `result`. */
  finish: (id: number, result: unknown) => void;
}

/** Model workers that record commands and answer only when told; every spawn makes a new one. */
export function fakeWorkers(): {
  spawn: SpawnModelWorker;
  processes: FakeProcess[];
  /** The options each process was spawned with, in order. */
  options: WorkerOptions[];
  /** Commands sent to every process, in order. */
  sent: WorkerCommand[];
  /** Answers, crashes or counts kills of the newest process. */
  reply: (r: WorkerReply) => void;
  exit: (code: number) => void;
  killed: () => number;
} {
  const processes: FakeProcess[] = [];
  const options: WorkerOptions[] = [];
  const sent: WorkerCommand[] = [];
  return {
    processes,
    options,
    sent,
    reply: (r) => processes.at(-1)?.reply(r),
    exit: (code) => processes.at(-1)?.exit(code),
    killed: () => processes.filter((p) => p.killed).length,
    spawn: (o = {}) => {
      options.push(o);
      let onMessage: (r: WorkerReply) => void = () => undefined;
      let onExit: (code: number | null) => void = () => undefined;
      const process: FakeProcess = {
        sent: [],
        reply: (r) => onMessage(r),
        exit: (code) => onExit(code),
        killed: false,
        get paused() {
          return process.pauses.at(-1) ?? false;
        },
        pauses: [],
        jobs: () => process.sent.flatMap((c) => (c.type === 'job' ? [{ id: c.id, job: c.job }] : [])),
        finish: (id, result) => onMessage({ type: 'result', id, result: result as never }),
      };
      processes.push(process);
      return {
        send: (c) => {
          process.sent.push(c);
          sent.push(c);
        },
        onMessage: (cb) => (onMessage = cb),
        onExit: (cb) => (onExit = cb),
        kill: () => void (process.killed = true),
        pause: (paused) => void process.pauses.push(paused),
      };
    },
  };
}
