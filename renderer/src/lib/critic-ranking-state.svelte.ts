import type { CriticRanking } from '../../../preload/contract';
import { leastTypicalFirst, type RankedImage } from './critic-ranking';
import { messageOf, type LatentContext } from './latent-context';

/** How many thumbnails the list shows before More. */
export const RANK_PAGE = 40;

/** How many thumbnails are read at once. */
const THUMB_CONCURRENCY = 4;

/** A thumbnail as read for the list: the image, or why it could not be shown. */
export type Thumbnail = { url: string } | { error: string };

/** Ranking a folder's images with the generator's critic, and the thumbnails of the list. */
export class CriticRankingState {
  ranking = $state.raw<CriticRanking | null>(null);
  /** The ranked images, least typical first. */
  images = $state.raw<RankedImage[]>([]);
  folder = $state<string | null>(null);
  shown = $state(RANK_PAGE);
  thumbnails = $state.raw<Readonly<Record<string, Thumbnail>>>({});
  busy = $state(false);
  error = $state<string | null>(null);
  private generation = 0;
  /** Paths whose thumbnail was asked for; bookkeeping only, nothing renders it. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly requested = new Set<string>();

  constructor(private readonly context: LatentContext) {}

  /** Ranks the images of `folder`; the engine's refusal shows as `error`. */
  async rank(folder: string): Promise<void> {
    const modelId = this.context.modelId();
    if (!modelId || this.busy) return;
    const generation = ++this.generation;
    this.busy = true;
    this.error = null;
    this.folder = folder;
    this.ranking = null;
    this.images = [];
    this.thumbnails = {};
    this.requested.clear();
    this.shown = RANK_PAGE;
    try {
      const ranking = await window.studio.rankWithCritic({ modelId, folder });
      if (generation !== this.generation) return;
      this.ranking = ranking;
      this.images = leastTypicalFirst(ranking.images);
      void this.readThumbnails(generation);
    } catch (error) {
      if (generation === this.generation) this.error = messageOf(error);
    } finally {
      if (generation === this.generation) this.busy = false;
    }
  }

  /** Shows the next page of the list. */
  showMore(): void {
    this.shown += RANK_PAGE;
    void this.readThumbnails(this.generation);
  }

  /** Forgets the ranking (another model). */
  reset(): void {
    this.generation += 1;
    this.ranking = null;
    this.images = [];
    this.folder = null;
    this.thumbnails = {};
    this.requested.clear();
    this.shown = RANK_PAGE;
    this.busy = false;
    this.error = null;
  }

  /** Reads the shown images' thumbnails not read yet, a few at a time. */
  private async readThumbnails(generation: number): Promise<void> {
    const queue = this.images
      .slice(0, this.shown)
      .map((image) => image.path)
      .filter((path) => !this.requested.has(path));
    for (const path of queue) this.requested.add(path);
    const worker = async (): Promise<void> => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        let thumbnail: Thumbnail;
        try {
          const given = this.images.find((image) => image.path === path)?.thumbnail;
          thumbnail = { url: given ?? (await window.studio.readImage({ path })) };
        } catch (error) {
          thumbnail = { error: messageOf(error) };
        }
        if (generation !== this.generation) return;
        this.thumbnails = { ...this.thumbnails, [path]: thumbnail };
      }
    };
    await Promise.all(Array.from({ length: THUMB_CONCURRENCY }, worker));
  }
}
