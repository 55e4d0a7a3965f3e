import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStorageDir } from './local-volumes.js';

describe('removeStorageDir', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kubelab-storage-'));
  const root = join(scratch, 'storage');
  const outside = join(scratch, 'precious');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, 'keep'), 'data');
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('removes a volume directory with its contents', async () => {
    const dir = join(root, 'pvc-1_default_data');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'file'), 'x');
    await removeStorageDir(dir, root);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(root)).toBe(true);
  });

  it('is done when the directory is already gone', async () => {
    await expect(removeStorageDir(join(root, 'never-made'), root)).resolves.toBeUndefined();
  });

  it('removes a link in place of a volume directory, not what it points at', async () => {
    const link = join(root, 'pvc-link');
    symlinkSync(outside, link);
    await removeStorageDir(link, root);
    expect(existsSync(link)).toBe(false);
    expect(existsSync(join(outside, 'keep'))).toBe(true);
  });

  it('refuses paths that are not direct children of the root', async () => {
    await expect(removeStorageDir(root, root)).rejects.toThrow('refusing to remove');
    await expect(removeStorageDir(join(root, '..', 'precious'), root)).rejects.toThrow('refusing to remove');
    await expect(removeStorageDir(outside, root)).rejects.toThrow('refusing to remove');
    expect(existsSync(join(outside, 'keep'))).toBe(true);
  });

  it('refuses when the root itself is a link to somewhere else', async () => {
    const linkedRoot = join(scratch, 'linked-root');
    symlinkSync(outside, linkedRoot);
    await expect(removeStorageDir(join(linkedRoot, 'keep'), linkedRoot)).rejects.toThrow(`${linkedRoot} leads to ${outside}`);
    expect(existsSync(join(outside, 'keep'))).toBe(true);
  });
});
