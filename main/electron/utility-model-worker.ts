import { utilityProcess } from 'electron';
import { signalPause, workerArgs, type SpawnModelWorker } from '../engine/inference/model-host';
import type { WorkerCommand, WorkerReply } from '../engine/inference/model-jobs';

/** Runs the model worker in an Electron utilityProcess, so a crash there never takes the app down. */
export function utilityModelWorker(script: string): SpawnModelWorker {
  return (o) => {
    const child = utilityProcess.fork(script, workerArgs(o), {
      serviceName: 'GAN Studio model worker',
      stdio: 'inherit',
    });
    return {
      send: (command: WorkerCommand) => child.postMessage(command),
      onMessage: (cb) => child.on('message', (reply: WorkerReply) => cb(reply)),
      onExit: (cb) => child.on('exit', (code) => cb(code)),
      kill: () => void child.kill(),
      pause: (paused) => signalPause(child.pid, paused),
    };
  };
}
