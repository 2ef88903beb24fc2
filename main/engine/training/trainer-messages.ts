import type { TrainingEvent } from '../../../preload/contract';

/** What the trainer process tells its host (the contract's training events). */
export type TrainerEvent = TrainingEvent;

/** What the host tells the trainer process. */
export type TrainerCommand = { type: 'start'; runDir: string; resume: boolean } | { type: 'stop' };
