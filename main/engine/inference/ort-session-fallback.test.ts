import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { writeUnetModel } from '../../test-support/onnx-models';
import { useTempDir } from '../../test-support/temp-dir';
import { openOrtSession } from './ort-session';

// A split that yields bytes ONNX Runtime refuses, as a bug in it would.
vi.mock('../../../models/onnx/phase-deconv', () => ({
  splitPhaseDeconvs: () => ({ bytes: new Uint8Array([8, 1, 2, 3]), split: 2 }),
}));

const tempDir = useTempDir();

describe('openOrtSession when the split graph does not open', () => {
  it('opens the model as the file has it', async () => {
    const file = join(tempDir(), 'unet.onnx');
    writeUnetModel(file, { size: 32, ngf: 8 });
    const opened = await openOrtSession(file, { only: 'cpu' });
    try {
      expect(opened.splitDeconvs).toBe(0);
      expect(opened.session.outputNames).toEqual(['output']);
    } finally {
      await opened.session.release();
    }
  });
});
