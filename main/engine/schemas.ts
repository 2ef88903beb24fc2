import { z } from 'zod';
import type { Channel, Payloads } from '../../preload/contract';
import { maskDesignSchema } from './training/run-config';

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

const id = z.string().uuid('must be an id');
const path = z.string().min(1, 'must not be empty').max(4096);
const derive = z.enum(['gray2color', 'edges2photo']);
// A latent code: finite numbers (its length is checked against the model by the latent service).
const code = z.array(z.number().finite('must be finite numbers')).min(1).max(4096);
const none = z.undefined({ error: 'takes no payload' });
const dataUrl = z
  .string()
  .max(64 * 1024 * 1024, 'must be at most 64 MB')
  .regex(/^data:image\/png;base64,/, 'must be a PNG data URL');
// Raw canvas pixels: the byte count is checked against the size where they are decoded.
const side = z.number().int().min(1).max(8192);
const rawPixels = z.strictObject({
  width: side,
  height: side,
  channels: z.union([z.literal(1), z.literal(3), z.literal(4)]),
  data: z
    .instanceof(Uint8Array, { error: 'must be bytes' })
    .refine((bytes) => bytes.length <= 64 * 1024 * 1024, 'must be at most 64 MB'),
});

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
  'datasets:import': z.strictObject({
    projectId: id,
    root: path,
    mode: z.enum(['aligned', 'paired', 'single', 'unaligned']).optional(),
    secondRoot: path.optional(),
    name: name.optional(),
  }),
  'datasets:list': z.strictObject({ projectId: id }),
  'datasets:demo': z.strictObject({ projectId: id }),
  'datasets:preview': z.strictObject({
    datasetId: id,
    derive: derive.optional(),
    count: z.number().int().min(1).max(16).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    crop: z.literal('square').optional(),
  }),
  'runs:start': z.strictObject({
    projectId: id,
    settings: z.strictObject({
      model: z.enum(['pix2pix', 'cyclegan', 'inpaint', 'latent']).optional(),
      nz: z.number().int().min(1).max(512).optional(),
      spectralNorm: z.boolean().optional(),
      maskDesign: maskDesignSchema.optional(),
      hints: z.boolean().optional(),
      datasetId: id,
      // Which sizes fit depends on the model; the run configuration checks that.
      size: z.number().int().min(16).max(1024),
      steps: z.number().int().min(1).max(10_000_000).optional(),
      epochs: z.number().int().min(1).max(100_000).optional(),
      batch: z.number().int().min(1).max(64),
      backend: z.enum(['auto', 'node', 'wasm', 'cpu']),
      direction: z.enum(['AtoB', 'BtoA']),
      derive: derive.optional(),
      ngf: z.number().int().min(1).max(256),
      norm: z.enum(['batch', 'instance', 'none']),
      gan: z.enum(['vanilla', 'lsgan', 'hinge', 'wgangp']),
      sampleEvery: z.number().int().min(1).max(1_000_000),
      checkpointEvery: z.number().int().min(1).max(1_000_000),
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    }),
  }),
  'runs:stop': z.strictObject({ runId: id }),
  'runs:resume': z.strictObject({ runId: id }),
  'runs:list': z.strictObject({ projectId: id }),
  'runs:get': z.strictObject({ runId: id }),
  'files:image': z.strictObject({ path }),
  'models:list': z.strictObject({ projectId: id }),
  'models:export': z.strictObject({
    runId: id,
    checkpointStep: z.number().int().min(0).optional(),
    direction: z.enum(['AtoB', 'BtoA']).optional(),
    name: name.optional(),
  }),
  'models:import': z.strictObject({ projectId: id, path, name: name.optional() }),
  'models:delete': z.strictObject({ modelId: id }),
  'models:run': z.strictObject({
    modelId: id,
    imagePath: path,
    maskPath: path.optional(),
    half: z.enum(['left', 'right']).optional(),
  }),
  'canvas:open': z.strictObject({ projectId: id, path }),
  'canvas:open-mask': z.strictObject({
    path,
    width: z.number().int().min(1).max(65_536),
    height: z.number().int().min(1).max(65_536),
  }),
  'canvas:fill': z.strictObject({
    modelId: id,
    imagePath: path,
    mask: dataUrl,
    feather: z.number().min(0).max(64).optional(),
  }),
  'canvas:translate': z.strictObject({
    modelId: id,
    image: rawPixels,
    pageSize: z.strictObject({ width: side, height: side }).optional(),
    hints: rawPixels.optional(),
    preview: z.boolean().optional(),
  }),
  'latent:open': z.strictObject({ modelId: id }),
  'latent:sample': z.strictObject({
    modelId: id,
    codes: z.array(code).min(1, 'must hold at least one code').max(64, 'must hold at most 64 codes'),
  }),
  'latent:random': z.strictObject({
    modelId: id,
    count: z.number().int().min(1).max(64),
    seed: z.number().int().min(0).optional(),
  }),
  'latent:project': z.strictObject({
    modelId: id,
    path,
    steps: z.number().int().min(0).max(2000).optional(),
  }),
  'latent:constrain': z.strictObject({
    modelId: id,
    code,
    color: dataUrl.optional(),
    sketch: dataUrl.optional(),
    starts: z.number().int().min(1).max(32).optional(),
    steps: z.number().int().min(1).max(500).optional(),
  }),
  'latent:save-direction': z.strictObject({ modelId: id, name, vector: code }),
  'latent:delete-direction': z.strictObject({ modelId: id, directionId: z.string().min(1).max(100) }),
  'latent:rank': z.strictObject({ modelId: id, folder: path }),
};

/** A one-line description of what is wrong with a payload, for the person who sent it. */
export function describeIssues(channel: string, error: z.ZodError): string {
  const parts = error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'payload';
    return `${where}: ${issue.message}`;
  });
  return `Invalid request for ${channel}: ${parts.join('; ')}`;
}
