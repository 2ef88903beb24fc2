import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadImage, whenDecoded } from './mask-image';

type Outcome = 'decodes' | 'loads' | 'broken';

/** An image element whose decode and load go as `outcome` says: decoded, loaded but refused by decode(), or broken. */
function fakeImageClass(outcome: Outcome, complete = false) {
  return class FakeImage extends EventTarget {
    src = '';
    complete = complete;
    naturalWidth = complete && outcome !== 'broken' ? 64 : 0;

    decode(): Promise<void> {
      if (outcome === 'decodes') {
        this.naturalWidth = 64;
        return Promise.resolve();
      }
      if (!this.complete) {
        setTimeout(() => {
          this.complete = true;
          this.naturalWidth = outcome === 'loads' ? 64 : 0;
          this.dispatchEvent(new Event(outcome === 'loads' ? 'load' : 'error'));
        }, 5);
      }
      return Promise.reject(new DOMException('The source image cannot be decoded.', 'EncodingError'));
    }
  };
}

describe('loadImage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('hands on an image that decodes', async () => {
    vi.stubGlobal('Image', fakeImageClass('decodes'));
    const image = await loadImage('data:image/png;base64,AAAA');
    expect(image.src).toBe('data:image/png;base64,AAAA');
    expect(image.naturalWidth).toBe(64);
  });

  it('hands on an image that decode() refuses but that loads (Chromium limits decodes in flight)', async () => {
    vi.stubGlobal('Image', fakeImageClass('loads'));
    const image = await loadImage('data:image/png;base64,BBBB');
    expect(image.naturalWidth).toBe(64);
  });

  it('hands on an image that decode() refuses after it has already loaded', async () => {
    vi.stubGlobal('Image', fakeImageClass('loads', true));
    await expect(loadImage('data:image/png;base64,CCCC')).resolves.toBeDefined();
  });

  it('fails for an image that does not load, whether or not it has finished trying', async () => {
    vi.stubGlobal('Image', fakeImageClass('broken'));
    await expect(loadImage('data:image/png;base64,DDDD')).rejects.toThrow('could not be loaded');
    vi.stubGlobal('Image', fakeImageClass('broken', true));
    await expect(loadImage('data:image/png;base64,EEEE')).rejects.toThrow('could not be loaded');
  });

  it('whenDecoded shows a refused-but-loaded image, reports a broken one, and skips one superseded', async () => {
    vi.stubGlobal('Image', fakeImageClass('loads'));
    const shown = await new Promise<HTMLImageElement>((resolve, reject) => {
      whenDecoded('data:image/png;base64,FFFF', resolve, () => reject(new Error('reported as broken')));
    });
    expect(shown.naturalWidth).toBe(64);

    vi.stubGlobal('Image', fakeImageClass('broken'));
    await new Promise<void>((resolve, reject) => {
      whenDecoded('data:image/png;base64,GGGG', () => reject(new Error('shown')), resolve);
    });

    vi.stubGlobal('Image', fakeImageClass('loads'));
    const onImage = vi.fn();
    const cancel = whenDecoded('data:image/png;base64,HHHH', onImage);
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(onImage).not.toHaveBeenCalled();
  });
});
