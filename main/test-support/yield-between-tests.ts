import { afterEach } from 'vitest';

/**
 * Lets the test worker's event loop turn between tests. Vitest awaits one test after another with
 * promises only, so a file of synchronous tests (the kernel gradient checks run minutes on a busy
 * machine) never reaches the loop's I/O phase: the answer to the worker's progress call waits
 * unread until its 60 s timer fires, and the run ends with "Timeout calling onTaskUpdate" though
 * every test passed. A macrotask after each test reads the answers as they come.
 */
afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
