import type { EventName, Events } from '../../preload/contract';

/** Receives every event the engine emits; transports forward them to their windows. */
export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

/** A typed fan-out of engine events to the transports that are listening. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  /** Sends an event to every listener; a failing listener does not stop the others. */
  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        console.error(`event listener for ${event} failed:`, error);
      }
    }
  }

  /** Adds a listener; call the returned function to remove it. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
