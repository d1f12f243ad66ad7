import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { ConfluxError } from '../errors/index.ts';

/**
 * An embedded (SQLite) project is served by one process. The lock makes that explicit, and
 * lets a restarting process reclaim the runs its killed predecessor held at once instead of
 * waiting for their leases to expire.
 */
export interface InstanceLock {
  release(): void;
}

export function acquireInstanceLock(path: string): InstanceLock {
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new ConfluxError(
        'CONFIG_INVALID',
        `This project is already served by process ${pid} (lock ${path}). Stop it first, or use PostgreSQL (CONFLUX_DATABASE_URL) to run several processes.`,
      );
    }
    unlinkSync(path);
  }
  const fd = openSync(path, 'wx', 0o600);
  writeSync(fd, `${process.pid}\n`);
  closeSync(fd);
  return {
    release() {
      try {
        unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
