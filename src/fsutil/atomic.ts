import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Writes a file so that readers see the old or the new content, never half of it. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data).catch(async (err: NodeJS.ErrnoException) => {
      // The folder usually exists: create it only when missing rather than on every write.
      if (err.code !== 'ENOENT') throw err;
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(tmp, data);
    });
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
