import { type FSWatcher, watch } from 'node:fs';
import { basename, sep } from 'node:path';

export interface WatchOptions {
  /** Quiet time after the last change before onChange runs; editors write in bursts. */
  readonly debounceMs?: number;
  /** The watcher failed (e.g. the folder was removed); watching has stopped. */
  readonly onError?: (error: Error) => void;
}

export interface ProjectWatcher {
  close(): void;
}

/** Folders whose changes are never project changes: the embedded store and tooling. */
const IGNORED_FOLDERS = new Set(['.conflux', '.git', 'node_modules']);

/**
 * Calls onChange once per burst of changes to the project's files. Relies on recursive
 * fs.watch (Linux since Node 20); the caller reloads the whole project, so which file changed
 * does not matter.
 */
export function watchProject(root: string, onChange: () => void, options: WatchOptions = {}): ProjectWatcher {
  const debounceMs = options.debounceMs ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const watcher: FSWatcher = watch(root, { recursive: true, persistent: true }, (_event, filename) => {
    if (closed || (filename !== null && isIgnored(filename.toString()))) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!closed) onChange();
    }, debounceMs);
  });
  watcher.on('error', (error: Error) => {
    close();
    options.onError?.(error);
  });
  function close(): void {
    closed = true;
    clearTimeout(timer);
    watcher.close();
  }
  return { close };
}

/** True for the store and tooling folders and for editor swap, backup and temp files. */
export function isIgnored(relativePath: string): boolean {
  const parts = relativePath.split(sep);
  if (parts.some((part) => IGNORED_FOLDERS.has(part))) return true;
  const name = basename(relativePath);
  return (
    name.endsWith('~') || // emacs, many others: backup
    /^\.#/.test(name) || // emacs: lock
    /^#.*#$/.test(name) || // emacs: autosave
    /\.sw[a-p]$/.test(name) || // vim: swap
    name === '4913' || // vim: probe for write permission
    name === '.DS_Store' ||
    /\.(tmp|temp|bak|orig)$/.test(name) ||
    /\.tmp\.\d+/.test(name) // atomic-write temp files (VS Code, write-file-atomic)
  );
}
