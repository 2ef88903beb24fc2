import { utilityProcess } from 'electron';
import type { TrainerCommand, TrainerEvent } from '../engine/training/trainer-messages';
import type { SpawnTrainer } from '../engine/training/trainer-host';

/** Runs the trainer in an Electron utilityProcess, so a crash there never takes the app down. */
export function utilityTrainer(script: string): SpawnTrainer {
  return () => {
    const child = utilityProcess.fork(script, [], { serviceName: 'GAN Studio trainer', stdio: 'inherit' });
    return {
      send: (command: TrainerCommand) => child.postMessage(command),
      onMessage: (cb) => child.on('message', (message: TrainerEvent) => cb(message)),
      onExit: (cb) => child.on('exit', (code) => cb(code)),
      kill: () => void child.kill(),
    };
  };
}
