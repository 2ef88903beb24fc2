import { fork } from 'node:child_process';
import type { TrainerCommand, TrainerEvent } from './trainer-messages';

/** How a trainer run ended. */
export type TrainerOutcome = 'done' | 'stopped' | 'failed' | 'crashed';

/** The child process as the host needs it; Electron's utilityProcess fits the same shape. */
export interface TrainerProcess {
  send(command: TrainerCommand): void;
  onMessage(cb: (event: TrainerEvent) => void): void;
  onExit(cb: (code: number | null) => void): void;
  kill(): void;
}

/** Starts a trainer process; the default forks the built trainer script with plain Node. */
export type SpawnTrainer = () => TrainerProcess;

/** Forks `script` with Node (`execArgv` lets tests run TypeScript through tsx). */
export function forkTrainer(script: string, execArgv: string[] = []): SpawnTrainer {
  return () => {
    const child = fork(script, [], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    return {
      send: (command) => {
        if (child.connected) child.send(command);
      },
      onMessage: (cb) => child.on('message', (message) => cb(message as TrainerEvent)),
      onExit: (cb) => child.on('exit', (code) => cb(code)),
      kill: () => child.kill('SIGKILL'),
    };
  };
}

/** A supervised trainer: its events, a polite stop, and how it ended. */
export interface TrainerHandle {
  stop(graceMs?: number): Promise<TrainerOutcome>;
  readonly outcome: Promise<TrainerOutcome>;
}

/**
 * Runs one training in a child process. Every event goes to `onEvent`; an exit without `done`
 * or `error` is a crash, which marks only this run, never the host.
 */
export function superviseTrainer(
  spawn: SpawnTrainer,
  runDir: string,
  resume: boolean,
  onEvent: (event: TrainerEvent) => void,
): TrainerHandle {
  const child = spawn();
  let finished: TrainerOutcome | null = null;
  let resolveOutcome: (outcome: TrainerOutcome) => void = () => undefined;
  const outcome = new Promise<TrainerOutcome>((resolve) => (resolveOutcome = resolve));
  child.onMessage((event) => {
    if (event.type === 'done') finished = event.stopped ? 'stopped' : 'done';
    if (event.type === 'error') finished = 'failed';
    onEvent(event);
  });
  child.onExit((code) => {
    const result = finished ?? 'crashed';
    if (result === 'crashed') {
      onEvent({
        type: 'error',
        message: `The trainer process exited unexpectedly (code ${code ?? 'signal'}); resume the run to continue from its last checkpoint.`,
        crashed: true,
      });
    }
    resolveOutcome(result);
  });
  child.send({ type: 'start', runDir, resume });
  return {
    outcome,
    stop: async (graceMs = 120_000) => {
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill(), graceMs);
      const result = await outcome;
      clearTimeout(timer);
      return result;
    },
  };
}
