import { constants, setPriority } from 'node:os';
import { LOW_PRIORITY_ARG, type WorkerCommand, type WorkerReply } from './model-jobs';
import { runSessionsInBackground } from './ort-session';
import { errorReply, runModelJob } from './run-model-job';
import { SessionCache } from './session-cache';

// The model worker process: forked by ModelHost (child_process.fork in plain Node, utilityProcess
// in Electron). It runs jobs one at a time in the order they came, keeps recent ONNX sessions
// open between jobs, and answers every job with a result or an error, never by crashing.
// Started with --low-priority (the live canvas's previews) it lowers its own priority first
// (ONNX Runtime's threads, started later by this thread, inherit it) and opens models with one
// thread that does not spin.

if (process.argv.includes(LOW_PRIORITY_ARG)) {
  runSessionsInBackground();
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not allowed here: previews then run at normal priority, which costs smoothness, not results.
  }
}

interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const cache = new SessionCache();
const queue: { id: number; job: unknown }[] = [];
let current: { id: number; cancelled: boolean } | null = null;
let draining = false;

function send(reply: WorkerReply): void {
  if (parentPort) parentPort.postMessage(reply);
  else if (process.send && process.connected) process.send(reply);
}

async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  for (let next = queue.shift(); next; next = queue.shift()) {
    const running = { id: next.id, cancelled: false };
    current = running;
    try {
      const result = await runModelJob(next.job, cache, {
        progress: (stage, done, total) => send({ type: 'progress', id: running.id, stage, done, total }),
        isCancelled: () => running.cancelled,
      });
      send({ type: 'result', id: running.id, result });
    } catch (error) {
      send(errorReply(running.id, error));
    }
    current = null;
  }
  draining = false;
}

function onCommand(message: unknown): void {
  const command = message as WorkerCommand | null;
  if (!command || typeof command !== 'object' || typeof command.id !== 'number') return;
  if (command.type === 'cancel') {
    if (current?.id === command.id) current.cancelled = true;
    const queued = queue.findIndex((q) => q.id === command.id);
    if (queued >= 0) {
      queue.splice(queued, 1);
      send({
        type: 'error',
        id: command.id,
        code: 'cancelled',
        message: 'The job was cancelled before it started.',
      });
    }
    return;
  }
  if (command.type === 'job') {
    queue.push({ id: command.id, job: command.job });
    void drain();
    return;
  }
  const unknown = command as { id: number; type: unknown };
  send(errorReply(unknown.id, new Error(`Unknown command type ${JSON.stringify(unknown.type)}.`)));
}

// Ctrl+C in a terminal reaches the whole process group; the host decides what stops (a cancel, then a kill).
process.on('SIGINT', () => undefined);
if (parentPort) parentPort.on('message', (message) => onCommand(message.data));
else {
  process.on('message', onCommand);
  process.on('disconnect', () => process.exit(0));
}
