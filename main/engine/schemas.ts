import { z } from 'zod';
import type { Channel, Payloads } from '../../preload/contract';

// A user-visible name: trimmed, 1–100 characters, no control characters or path separators.
const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .refine(
    (value) => ![...value].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127),
    'must not contain control characters',
  )
  .refine((value) => !/[/\\]/.test(value), 'must not contain / or \\');

const id = z.string().uuid('must be a project id');
const none = z.undefined({ error: 'takes no payload' });

/** The schema each channel's payload must satisfy before its handler runs. */
export const PAYLOAD_SCHEMAS: { [C in Channel]: z.ZodType<Payloads[C]> } = {
  'app:info': none,
  'projects:list': none,
  'projects:create': z.strictObject({ name }),
  'projects:open': z.strictObject({ id }),
  'projects:rename': z.strictObject({ id, name }),
  'projects:delete': z.strictObject({ id }),
  'dialog:pick-folder': z.strictObject({ title: z.string().max(200).optional() }),
  'fs:list-folder': z.strictObject({ path: z.string().max(4096).optional() }),
};

/** A one-line description of what is wrong with a payload, for the person who sent it. */
export function describeIssues(channel: string, error: z.ZodError): string {
  const parts = error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'payload';
    return `${where}: ${issue.message}`;
  });
  return `Invalid request for ${channel}: ${parts.join('; ')}`;
}
