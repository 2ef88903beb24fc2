import type { Channel, Envelope, Payloads, Results } from '../../preload/contract';
import { StudioError } from './errors';
import { describeIssues, PAYLOAD_SCHEMAS } from './schemas';

/** One function per channel; each receives its payload already validated. */
export type HandlerTable = { [C in Channel]: (payload: Payloads[C]) => Promise<Results[C]> | Results[C] };

/**
 * Runs a call from either transport: unknown channels and payloads that fail their schema are
 * answered with an error before any handler runs; handler errors become error envelopes.
 */
export async function dispatch(
  handlers: HandlerTable,
  channel: string,
  payload: unknown,
): Promise<Envelope<unknown>> {
  if (!Object.hasOwn(PAYLOAD_SCHEMAS, channel)) {
    return fail('unknown-channel', `Unknown request ${JSON.stringify(channel).slice(0, 80)}.`);
  }
  const typed = channel as Channel;
  const parsed = PAYLOAD_SCHEMAS[typed].safeParse(payload);
  if (!parsed.success) return fail('invalid-payload', describeIssues(channel, parsed.error));
  try {
    const handler = handlers[typed] as (payload: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof StudioError) return fail(error.code, error.message);
    console.error(`handler ${channel} failed:`, error);
    return fail('internal', `${channel} failed: ${(error as Error)?.message ?? String(error)}`);
  }
}

function fail(code: string, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}
