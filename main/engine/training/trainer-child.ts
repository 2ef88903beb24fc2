import { runTraining } from './train-loop';
import { trainerErrorMessage } from './trainer-error';
import type { TrainerCommand, TrainerEvent } from './trainer-messages';

// The trainer process: forked by the host (child_process.fork in plain Node, utilityProcess in
// Electron), told where its run is, and reporting typed events until done, stopped or failed.

interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
let stop = false;

function send(event: TrainerEvent): Promise<void> {
  if (parentPort) {
    parentPort.postMessage(event);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(event, undefined, {}, () => resolve());
  });
}

function onCommand(command: TrainerCommand): void {
  if (command.type === 'stop') {
    stop = true;
    return;
  }
  runTraining(command.runDir, command.resume, {
    send: (event) => void send(event),
    stopRequested: () => stop,
  })
    .then(() => process.exit(0))
    .catch(async (error: unknown) => {
      await send({ type: 'error', message: trainerErrorMessage(error) });
      process.exit(1);
    });
}

if (parentPort) parentPort.on('message', (message) => onCommand(message.data as TrainerCommand));
else {
  process.on('message', (command: TrainerCommand) => onCommand(command));
  process.on('disconnect', () => {
    stop = true;
  });
}
