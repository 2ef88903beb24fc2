import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test-support/temp-dir';
import { listFolder } from './folder-listing';

const tempDir = useTempDir();

describe('listFolder', () => {
  it('lists folders first, counts images, hides dotfiles and knows its parent', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'trainA'));
    mkdirSync(join(dir, 'testA'));
    for (const name of ['b.PNG', 'a.jpg', 'c.webp', 'notes.txt', '.hidden.png'])
      writeFileSync(join(dir, name), '');
    const listing = await listFolder(dir);
    expect(listing.path).toBe(dir);
    expect(listing.entries.map((e) => `${e.kind}:${e.name}`)).toEqual([
      'folder:testA',
      'folder:trainA',
      'image:a.jpg',
      'image:b.PNG',
      'image:c.webp',
      'file:notes.txt',
    ]);
    expect(listing.imageCount).toBe(3);
    expect(listing.parent).toBe(join(dir, '..'));
    expect(listing.truncated).toBe(false);
  });

  it('says when a folder is missing or is a file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'photo.png'), '');
    await expect(listFolder(join(dir, 'nope'))).rejects.toThrow(`Folder not found: ${join(dir, 'nope')}`);
    await expect(listFolder(join(dir, 'photo.png'))).rejects.toThrow(
      `${join(dir, 'photo.png')} is a file, not a folder.`,
    );
  });

  it('has no parent at the file-system root', async () => {
    expect((await listFolder('/')).parent).toBeNull();
  });
});
