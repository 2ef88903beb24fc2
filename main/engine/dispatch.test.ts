import { describe, expect, it, vi } from 'vitest';
import type { Channel } from '../../preload/contract';
import { dispatch, type HandlerTable } from './dispatch';
import { StudioError } from './errors';
import { PAYLOAD_SCHEMAS } from './schemas';

const ID = '6f1c1d52-2f4e-4b4e-9f55-8a9d2c1e7a10';
const SETTINGS = {
  datasetId: ID,
  size: 128,
  steps: 1000,
  batch: 1,
  backend: 'auto',
  direction: 'AtoB',
  ngf: 64,
  norm: 'batch',
  gan: 'vanilla',
  sampleEvery: 100,
  checkpointEvery: 500,
  seed: 0,
};

/** Payloads each channel must refuse before its handler runs. */
const MALFORMED: Record<Channel, unknown[]> = {
  'app:info': [42, 'x', { extra: true }, []],
  'projects:list': [{}, 'all', 0],
  'projects:create': [
    undefined,
    {},
    { name: '' },
    { name: '   ' },
    { name: 7 },
    { name: 'a'.repeat(101) },
    { name: 'a/b' },
    { name: 'tab\there' },
    { name: 'ok', extra: 1 },
    'name',
  ],
  'projects:open': [undefined, {}, { id: 'not-a-uuid' }, { id: 5 }, { id: ID, extra: 1 }],
  'projects:rename': [
    undefined,
    { id: ID },
    { name: 'x' },
    { id: 'nope', name: 'x' },
    { id: ID, name: '' },
    { id: ID, name: null },
  ],
  'projects:delete': [undefined, {}, { id: '../../etc' }, [ID]],
  'dialog:pick-folder': [undefined, 'title', { title: 5 }, { title: 'x'.repeat(201) }, { other: 1 }],
  'fs:list-folder': [undefined, '/tmp', { path: 5 }, { path: 'x'.repeat(5000) }, { path: '/', deep: true }],
  'datasets:import': [
    undefined,
    { projectId: ID },
    { projectId: ID, root: '' },
    { projectId: 'x', root: '/d' },
    { projectId: ID, root: '/d', mode: 'zigzag' },
  ],
  'datasets:list': [undefined, {}, { projectId: 3 }],
  'datasets:demo': [undefined, { projectId: 'demo' }],
  'datasets:preview': [
    { datasetId: ID, count: 0 },
    { datasetId: ID, count: 100 },
    { datasetId: ID, derive: 'sepia' },
    { datasetId: ID, seed: -1 },
  ],
  'runs:start': [
    { projectId: ID },
    { projectId: ID, settings: { ...SETTINGS, size: 8 } },
    { projectId: ID, settings: { ...SETTINGS, model: 'stargan' } },
    { projectId: ID, settings: { ...SETTINGS, batch: 0 } },
    { projectId: ID, settings: { ...SETTINGS, backend: 'gpu' } },
    { projectId: ID, settings: { ...SETTINGS, steps: 1.5 } },
    { projectId: ID, settings: { ...SETTINGS, extra: true } },
  ],
  'runs:stop': [undefined, { runId: 'r' }],
  'runs:resume': [undefined, { runId: 7 }],
  'runs:list': [undefined, { projectId: '' }],
  'runs:get': [undefined, {}],
  'files:image': [undefined, { path: '' }, { path: 4 }, { path: '/x', extra: 1 }],
  'models:list': [undefined, {}, { projectId: 'p' }],
  'models:export': [undefined, { runId: 'r' }, { runId: ID, checkpointStep: -1 }, { runId: ID, name: 'a/b' }],
  'models:import': [
    undefined,
    { projectId: ID },
    { projectId: ID, path: '' },
    { projectId: ID, path: '/m.onnx', x: 1 },
  ],
  'models:delete': [undefined, { modelId: 3 }],
  'models:run': [
    undefined,
    { modelId: ID },
    { modelId: ID, imagePath: '' },
    { modelId: ID, imagePath: '/a', maskPath: 1 },
  ],
  'canvas:open': [undefined, { projectId: ID }, { projectId: 'x', path: '/a.png' }],
  'canvas:open-mask': [{ path: '/m.png' }, { path: '/m.png', width: 0, height: 10 }],
  'canvas:translate': [
    { modelId: ID },
    { modelId: ID, image: 'data:image/png;base64,AAAA' },
    { modelId: ID, image: { width: 1, height: 1, channels: 2, data: new Uint8Array(2) } },
    { modelId: ID, image: { width: 0, height: 1, channels: 4, data: new Uint8Array(4) } },
    { modelId: ID, image: { width: 1, height: 1, channels: 4, data: 'AAAA/w==' } },
    { modelId: ID, image: { width: 1, height: 1, channels: 4, data: [0, 0, 0, 255] } },
  ],
  'canvas:fill': [
    { modelId: ID, imagePath: '/a.png' },
    { modelId: ID, imagePath: '/a.png', mask: 'data:image/jpeg;base64,AAAA' },
    { modelId: ID, imagePath: '/a.png', mask: 'data:image/png;base64,AAAA', feather: 100 },
  ],
  'latent:open': [undefined, {}, { modelId: 'x' }],
  'latent:sample': [{ modelId: ID }, { modelId: ID, codes: [] }, { modelId: ID, codes: [[1, 'a']] }],
  'latent:random': [{ modelId: ID }, { modelId: ID, count: 0 }, { modelId: ID, count: 65 }],
  'latent:project': [{ modelId: ID }, { modelId: ID, path: '' }, { modelId: ID, path: '/a.png', steps: -1 }],
  'latent:constrain': [
    { modelId: ID },
    { modelId: ID, code: [0.1], color: 'data:image/jpeg;base64,AAAA' },
    { modelId: ID, code: [0.1], starts: 0 },
  ],
  'latent:save-direction': [
    { modelId: ID, name: '', vector: [1] },
    { modelId: ID, name: 'smile' },
  ],
  'latent:delete-direction': [{ modelId: ID }, { modelId: ID, directionId: '' }],
  'latent:rank': [{ modelId: ID }, { modelId: ID, folder: '' }],
};

/** A payload each channel accepts. */
const VALID: Record<Channel, unknown> = {
  'app:info': undefined,
  'projects:list': undefined,
  'projects:create': { name: '  Facades  ' },
  'projects:open': { id: ID },
  'projects:rename': { id: ID, name: 'Maps' },
  'projects:delete': { id: ID },
  'dialog:pick-folder': {},
  'fs:list-folder': { path: '/tmp' },
  'datasets:import': { projectId: ID, root: '/data/facades', mode: 'aligned' },
  'datasets:list': { projectId: ID },
  'datasets:demo': { projectId: ID },
  'datasets:preview': { datasetId: ID, count: 4 },
  'runs:start': { projectId: ID, settings: SETTINGS },
  'runs:stop': { runId: ID },
  'runs:resume': { runId: ID },
  'runs:list': { projectId: ID },
  'runs:get': { runId: ID },
  'files:image': { path: '/tmp/a.png' },
  'models:list': { projectId: ID },
  'models:export': { runId: ID, checkpointStep: 500, name: 'Facades step 500' },
  'models:import': { projectId: ID, path: '/models/sketch2photo.onnx' },
  'models:delete': { modelId: ID },
  'models:run': { modelId: ID, imagePath: '/photos/a.jpg' },
  'canvas:open': { projectId: ID, path: '/photos/a.jpg' },
  'canvas:open-mask': { path: '/photos/a-mask.png', width: 640, height: 480 },
  'canvas:fill': { modelId: ID, imagePath: '/c/a.png', mask: 'data:image/png;base64,AAAA', feather: 4 },
  'canvas:translate': {
    modelId: ID,
    image: { width: 1, height: 1, channels: 4, data: Uint8Array.from([0, 0, 0, 255]) },
    pageSize: { width: 640, height: 480 },
    preview: true,
  },
  'latent:open': { modelId: ID },
  'latent:sample': { modelId: ID, codes: [[0.1, -0.2]] },
  'latent:random': { modelId: ID, count: 8, seed: 3 },
  'latent:project': { modelId: ID, path: '/photos/a.jpg', steps: 50 },
  'latent:constrain': { modelId: ID, code: [0.1, 0.2], color: 'data:image/png;base64,AAAA', starts: 4 },
  'latent:save-direction': { modelId: ID, name: 'Smile', vector: [0, 1] },
  'latent:delete-direction': { modelId: ID, directionId: 'saved-1' },
  'latent:rank': { modelId: ID, folder: '/photos' },
};

function spyHandlers(): HandlerTable {
  const table = {} as Record<Channel, ReturnType<typeof vi.fn>>;
  for (const channel of Object.keys(PAYLOAD_SCHEMAS) as Channel[]) table[channel] = vi.fn(() => 'ran');
  return table as unknown as HandlerTable;
}

describe('dispatch', () => {
  it('has malformed and valid payload cases for every channel', () => {
    expect(Object.keys(MALFORMED).sort()).toEqual(Object.keys(PAYLOAD_SCHEMAS).sort());
    expect(Object.keys(VALID).sort()).toEqual(Object.keys(PAYLOAD_SCHEMAS).sort());
  });

  for (const channel of Object.keys(MALFORMED) as Channel[]) {
    it(`rejects malformed ${channel} payloads before the handler runs`, async () => {
      const handlers = spyHandlers();
      for (const payload of MALFORMED[channel]) {
        const result = await dispatch(handlers, channel, payload);
        expect(result, JSON.stringify(payload)).toMatchObject({
          ok: false,
          error: { code: 'invalid-payload' },
        });
        if (!result.ok) expect(result.error.message).toMatch(new RegExp(`^Invalid request for ${channel}: `));
      }
      expect(handlers[channel]).not.toHaveBeenCalled();
    });

    it(`passes a valid ${channel} payload to its handler`, async () => {
      const handlers = spyHandlers();
      expect(await dispatch(handlers, channel, VALID[channel])).toEqual({ ok: true, value: 'ran' });
      expect(handlers[channel]).toHaveBeenCalledTimes(1);
    });
  }

  it('trims names before the handler sees them', async () => {
    const handlers = spyHandlers();
    await dispatch(handlers, 'projects:create', { name: '  Facades  ' });
    expect(handlers['projects:create']).toHaveBeenCalledWith({ name: 'Facades' });
  });

  it('says which field is wrong', async () => {
    const result = await dispatch(spyHandlers(), 'projects:rename', { id: ID, name: '' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid-payload',
        message: 'Invalid request for projects:rename: name: must not be empty',
      },
    });
  });

  it('answers unknown channels, including prototype names, without running anything', async () => {
    for (const channel of ['projects:explode', '__proto__', 'constructor', 'toString']) {
      expect(await dispatch(spyHandlers(), channel, undefined)).toMatchObject({
        ok: false,
        error: { code: 'unknown-channel' },
      });
    }
  });

  it('turns handler errors into envelopes with their code', async () => {
    const handlers = spyHandlers();
    (handlers['projects:list'] as unknown as ReturnType<typeof vi.fn>).mockImplementation(() => {
      throw new StudioError('conflict', 'taken');
    });
    expect(await dispatch(handlers, 'projects:list', undefined)).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'taken' },
    });
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    (handlers['projects:list'] as unknown as ReturnType<typeof vi.fn>).mockRejectedValue(
      new TypeError('boom'),
    );
    expect(await dispatch(handlers, 'projects:list', undefined)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'projects:list failed: boom' },
    });
    spy.mockRestore();
  });
});
