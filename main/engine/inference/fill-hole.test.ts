import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../models/graph';
import { emitOnnx } from '../../../models/onnx/emit-onnx';
import { useTempDir } from '../../test-support/temp-dir';
import { fillHole } from './fill-hole';
import { contextRegion, featherAlpha, holeBounds, maskFromPixels } from './hole-region';
import { SessionCache } from './session-cache';

const tempDir = useTempDir();

/** An "inpainting" model of `size`² whose output is 0.5 everywhere (191 in 8-bit), with a mask input. */
function writeConstantFill(path: string, size: number): void {
  const g = new GraphBuilder('constant-fill');
  const blanked = g.blank(g.input('input', 3), g.input('mask', 1));
  const graph = g.build(g.conv(blanked, 3, { kernel: 1, stride: 1, pad: 0, bias: true }));
  const weights = new Map([
    [`${graph.output}.weight`, { shape: [1, 1, 3, 3], values: new Float32Array(9) }],
    [`${graph.output}.bias`, { shape: [3], values: new Float32Array([0.5, 0.5, 0.5]) }],
  ]);
  writeFileSync(
    path,
    emitOnnx(graph, weights, {
      height: size,
      width: size,
      metadata: { model_kind: 'inpaint', mask_input: 'mask', input_names: 'input,mask', value_range: '-1,1' },
      producerVersion: 'test',
    }),
  );
}

async function writeRgb(path: string, width: number, height: number, at: (x: number, y: number) => number[]) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) data.set(at(x, y), (y * width + x) * 3);
  await sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toFile(path);
  return data;
}

async function readRgb(path: string): Promise<Uint8Array> {
  return new Uint8Array(await sharp(path).removeAlpha().raw().toBuffer());
}

describe('hole arithmetic', () => {
  it('reads white opaque pixels as hole, black or transparent ones as not', () => {
    const rgba = new Uint8Array([255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 0, 200, 200, 200, 255]);
    expect([...maskFromPixels(rgba, 4)]).toEqual([1, 0, 0, 1]);
  });

  it('bounds the hole, and gives the model a region with context, at least its size, inside the image', () => {
    const mask = new Uint8Array(100 * 80);
    for (let y = 30; y < 40; y += 1) for (let x = 50; x < 70; x += 1) mask[y * 100 + x] = 1;
    const bounds = holeBounds(mask, 100)!;
    expect(bounds).toEqual({ left: 50, top: 30, width: 20, height: 10, pixels: 200 });
    expect(holeBounds(new Uint8Array(16), 4)).toBeNull();
    const region = contextRegion(bounds, 100, 80, 64);
    expect(region.width).toBe(64);
    expect(region.height).toBe(64);
    expect(region.left).toBeLessThanOrEqual(50 - 16);
    expect(region.left + region.width).toBeGreaterThanOrEqual(70 + 16);
    expect(region.left + region.width).toBeLessThanOrEqual(100);
    const wide = contextRegion({ left: 0, top: 0, width: 900, height: 20 }, 1000, 50, 128);
    expect(wide).toEqual({ left: 0, top: 0, width: 1000, height: 50 });
  });

  it('feathers inwards only: zero outside the hole, one deep inside', () => {
    const mask = new Uint8Array(21 * 21);
    for (let y = 0; y < 21; y += 1)
      for (let x = 0; x < 21; x += 1)
        if (Math.abs(x - 10) <= 6 && Math.abs(y - 10) <= 6) mask[y * 21 + x] = 1;
    const alpha = featherAlpha(mask, 21, 21, 4);
    expect(alpha[0]).toBe(0);
    expect(alpha[10 * 21 + 10]).toBe(1);
    expect(alpha[10 * 21 + 4]).toBeGreaterThan(0);
    expect(alpha[10 * 21 + 4]).toBeLessThan(0.5);
    expect([...featherAlpha(mask, 21, 21, 0)]).toEqual([...mask]);
  });
});

describe('fillHole', () => {
  it('changes only the pixels inside the hole of an image larger than the model, at its own size', async () => {
    const dir = tempDir();
    const model = join(dir, 'fill.onnx');
    writeConstantFill(model, 32);
    const original = await writeRgb(join(dir, 'photo.png'), 300, 200, (x, y) => [x % 256, y, (x + y) % 256]);
    const inHole = (x: number, y: number): boolean => (x - 150) ** 2 + (y - 90) ** 2 < 30 ** 2;
    await writeRgb(join(dir, 'mask.png'), 300, 200, (x, y) => (inHole(x, y) ? [255, 255, 255] : [0, 0, 0]));
    const cache = new SessionCache();
    const outcome = await fillHole(
      {
        kind: 'fill',
        model,
        image: join(dir, 'photo.png'),
        mask: join(dir, 'mask.png'),
        out: join(dir, 'out.png'),
      },
      cache,
    );
    expect(outcome).toMatchObject({ width: 300, height: 200, provider: 'cpu' });
    expect(outcome.holeFraction).toBeCloseTo((Math.PI * 900) / 60000, 2);
    expect(outcome.notes[0]).toMatch(/region around the hole was scaled to the model's 32×32/);
    const out = await readRgb(join(dir, 'out.png'));
    let changedOutside = 0;
    let filledInside = 0;
    let inside = 0;
    for (let y = 0; y < 200; y += 1)
      for (let x = 0; x < 300; x += 1) {
        const p = (y * 300 + x) * 3;
        const same =
          out[p] === original[p] && out[p + 1] === original[p + 1] && out[p + 2] === original[p + 2];
        if (!inHole(x, y)) changedOutside += same ? 0 : 1;
        else {
          inside += 1;
          if (Math.abs(out[p]! - 191) <= 1 && Math.abs(out[p + 2]! - 191) <= 1) filledInside += 1;
        }
      }
    expect(changedOutside).toBe(0);
    expect(filledInside).toBe(inside);
    await cache.clear();
  });

  it('refuses an empty mask, a mask over the whole image and a mask of another size, saying which', async () => {
    const dir = tempDir();
    const model = join(dir, 'fill.onnx');
    writeConstantFill(model, 32);
    await writeRgb(join(dir, 'photo.png'), 64, 48, () => [10, 20, 30]);
    await writeRgb(join(dir, 'empty.png'), 64, 48, () => [0, 0, 0]);
    await writeRgb(join(dir, 'full.png'), 64, 48, () => [255, 255, 255]);
    await writeRgb(join(dir, 'small.png'), 32, 32, () => [255, 255, 255]);
    const cache = new SessionCache();
    const fill = (mask: string) =>
      fillHole(
        {
          kind: 'fill',
          model,
          image: join(dir, 'photo.png'),
          mask: join(dir, mask),
          out: join(dir, 'o.png'),
        },
        cache,
      );
    await expect(fill('empty.png')).rejects.toThrow(/The mask is empty: paint over what should be filled/);
    await expect(fill('full.png')).rejects.toThrow(/The mask covers the whole image/);
    await expect(fill('small.png')).rejects.toThrow(/The mask is 32×32 but the image photo.png is 64×48/);
    await cache.clear();
  });
});
