import { afterEach, describe, expect, it, vi } from 'vitest';
import { CriticRankingState, RANK_PAGE } from './critic-ranking-state.svelte';

const context = { modelId: () => 'm1', current: () => null, continueFrom: () => {} };

describe('the critic ranking state', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('lists the least typical first and reads thumbnails a page at a time, showing why one cannot be read', async () => {
    const images = Array.from({ length: RANK_PAGE + 5 }, (_, i) => ({
      path: `/f/${i}.png`,
      name: `${i}.png`,
      score: i === 3 ? -20 : i,
      outlier: i === 3,
    }));
    const readImage = vi.fn(async ({ path }: { path: string }) => {
      if (path === '/f/0.png')
        throw new Error('/f/0.png is outside the studio\u2019s data and dataset folders.');
      return `data:${path}`;
    });
    const rankWithCritic = vi.fn(async () => ({
      images: [...images].reverse(),
      median: 20,
      failures: [],
      notes: [],
    }));
    vi.stubGlobal('window', { studio: { rankWithCritic, readImage } });
    const ranking = new CriticRankingState(context);
    await ranking.rank('/f');
    expect(rankWithCritic).toHaveBeenCalledWith({ modelId: 'm1', folder: '/f' });
    expect(ranking.images[0]!.name).toBe('3.png');
    expect(ranking.images[1]!.name).toBe('0.png');
    await vi.waitFor(() => expect(Object.keys(ranking.thumbnails)).toHaveLength(RANK_PAGE));
    expect(ranking.thumbnails['/f/3.png']).toEqual({ url: 'data:/f/3.png' });
    expect(ranking.thumbnails['/f/0.png']).toMatchObject({ error: expect.stringContaining('outside') });
    ranking.showMore();
    await vi.waitFor(() => expect(Object.keys(ranking.thumbnails)).toHaveLength(RANK_PAGE + 5));
    expect(readImage).toHaveBeenCalledTimes(RANK_PAGE + 5);
  });

  it('shows the engine refusing a folder', async () => {
    const rankWithCritic = vi.fn(async () => {
      throw new Error('/empty holds no images (PNG, JPEG, WebP, TIFF, GIF, BMP).');
    });
    vi.stubGlobal('window', { studio: { rankWithCritic } });
    const ranking = new CriticRankingState(context);
    await ranking.rank('/empty');
    expect(ranking.error).toContain('holds no images');
    expect(ranking.busy).toBe(false);
    expect(ranking.images).toEqual([]);
  });
});
