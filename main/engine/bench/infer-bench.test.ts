import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchCase, benchGenerator, benchInfer, benchInferVersus, emitSeeded } from './infer-bench';

describe('bench infer', () => {
  it('times our tiny pix2pix export in ONNX Runtime and reports a line like the peer’s', async () => {
    const line = await benchInfer({ model: 'pix2pix', size: 32, steps: 3, ngf: 2, threads: 1, warmup: 1 });
    expect(line).toMatchObject({
      case: 'pix2pix-unet32-ngf2',
      provider: 'cpu',
      threads: 1,
      steps: 3,
      output: [1, 3, 32, 32],
      graph: 'ganstudio',
      norm: 'batch',
    });
    expect(line.runtime).toMatch(/^onnxruntime-node \d+\.\d+\.\d+$/);
    expect(line.infer_ms).toBeGreaterThan(0);
    expect(line.min_ms).toBeGreaterThan(0);
    expect(line.min_ms).toBeLessThanOrEqual(line.infer_ms);
  });

  it('times any ONNX file with the same harness, alone or alternating with our export', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infer-bench-'));
    try {
      const file = join(dir, 'resnet.onnx');
      const options = { model: 'cyclegan', size: 36, steps: 2, ngf: 2, warmup: 0 } as const;
      writeFileSync(file, await emitSeeded(benchGenerator(options), 36));
      const alone = await benchInfer({ ...options, onnx: file });
      expect(alone).toMatchObject({
        case: 'cyclegan-resnet6-36-ngf2',
        steps: 2,
        output: [1, 3, 36, 36],
        graph: file,
      });
      expect(alone.norm).toBeUndefined();
      const [ours, other] = await benchInferVersus({ ...options, steps: 3 }, file);
      expect(ours).toMatchObject({ graph: 'ganstudio', norm: 'instance', steps: 3, output: [1, 3, 36, 36] });
      expect(other).toMatchObject({ graph: file, steps: 3, output: [1, 3, 36, 36] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the CycleGAN case as the peer does and builds its ResNet with 6 or 9 blocks', () => {
    expect(benchCase({ model: 'cyclegan', size: 128, ngf: 64 })).toEqual({
      name: 'cyclegan-resnet6-128-ngf64',
      norm: 'instance',
    });
    expect(benchCase({ model: 'cyclegan', size: 256, ngf: 64 }).name).toBe('cyclegan-resnet9-256-ngf64');
    expect(benchGenerator({ model: 'cyclegan', size: 256, ngf: 2 }).name).toBe('resnet9');
    expect(benchGenerator({ model: 'pix2pix', size: 256, ngf: 2 }).name).toBe('unet256');
  });
});
