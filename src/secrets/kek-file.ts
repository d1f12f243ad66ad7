import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../observability/index.ts';
import { KEK_BYTES, kekIdOf, parseKek } from './kek.ts';

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

async function readKek(path: string, logger: Logger): Promise<Buffer> {
  const kek = parseKek(await readFile(path, 'utf8'), { source: `the key file ${path}` });
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    logger.warn(
      { path, mode: mode.toString(8) },
      'the key file can be read by other users; run chmod 600 on it',
    );
  }
  return kek;
}

/**
 * The embedded default when CONFLUX_SECRET_KEY is unset: a random KEK in a file beside the
 * project's database (`PROJECT/.conflux/secret.key`), created on first start, readable only
 * by its owner. Losing the file loses every secret, hence the warning.
 */
export async function loadOrCreateKekFile(path: string, logger: Logger): Promise<Buffer> {
  try {
    return await readKek(path, logger);
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) throw error;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const kek = randomBytes(KEK_BYTES);
  try {
    // 'wx' fails if the file appeared meanwhile: another process won the race; use its key.
    await writeFile(path, `${kek.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (hasCode(error, 'EEXIST')) return readKek(path, logger);
    throw error;
  }
  // The umask can only remove bits, but say what we mean rather than rely on it.
  await chmod(path, 0o600);
  logger.warn(
    { path, kekId: kekIdOf(kek) },
    'generated a new key-encryption key for secrets; back this file up (secrets cannot be decrypted without it) and set CONFLUX_SECRET_KEY in production',
  );
  return kek;
}
