/**
 * Live reload of the knowledge base. The folders holding the knowledge file and its article are
 * watched (not the files: editors such as vim and VS Code save by writing a temporary file and
 * renaming it over the old one, which a watch on the old file would miss); a burst of events is
 * debounced into one reload, which reads and validates exactly as start-up does. A valid base
 * replaces the old one in one assignment, so whoever took `current()` keeps a consistent base to
 * the end of its question; an invalid one is refused with a log line, and the last good base stays.
 */
import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import type { Logger } from '../log.ts';
import { DEFAULT_KNOWLEDGE_FILE, KnowledgeBaseError, loadKnowledgeBase, type KnowledgeBase } from './load.ts';

export type ReloadEvent =
  | { kind: 'reloaded'; file: string; entries: number; phrasings: number; reloadMs: number }
  | { kind: 'refused'; file: string; problems: string[] };

/**
 * A knowledge base that follows its files. It fits the handlers' `KnowledgeSource`
 * (src/bot/context.ts): they read `current()` once per event, and that base for the whole answer.
 */
export interface LiveKnowledge<T> {
  current(): T;
  /** Calls `listener` after every reload attempt that found a change; returns the unsubscribe. */
  subscribe(listener: (event: ReloadEvent) => void): () => void;
  /** Stops watching; `current()` keeps the last good base. */
  stop(): void;
}

export interface LiveKnowledgeOptions<T> {
  /** The knowledge file (default: the shipped one). */
  file?: string;
  /** What the handlers need from a base, built once per reload (the answerer with its search index). */
  build: (kb: KnowledgeBase) => T;
  logger: Logger;
  /** Quiet time after the last change before reloading; a burst of saves makes one reload. */
  debounceMs?: number;
}

export const DEFAULT_RELOAD_DEBOUNCE_MS = 250;

/**
 * Loads the knowledge base as start-up does (throwing KnowledgeBaseError if it cannot be used) and
 * keeps it current while the files change. Call `stop()` when shutting down.
 */
export function startLiveKnowledge<T>({ file = DEFAULT_KNOWLEDGE_FILE, build, logger, debounceMs = DEFAULT_RELOAD_DEBOUNCE_MS }: LiveKnowledgeOptions<T>): LiveKnowledge<T> {
  const shown = relative(process.cwd(), file) || file;
  let kb = loadKnowledgeBase(file);
  let current = build(kb);
  let fingerprint = diskFingerprint(kb);
  const listeners = new Set<(event: ReloadEvent) => void>();
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const emit = (event: ReloadEvent) => {
    for (const listener of listeners) listener(event);
  };

  const reload = () => {
    timer = undefined;
    if (stopped) return;
    if (diskFingerprint(kb) === fingerprint) {
      logger.debug({ file: shown }, 'knowledge files touched but unchanged');
      return;
    }
    const startedAt = performance.now();
    let next: { kb: KnowledgeBase; value: T };
    try {
      const loaded = loadKnowledgeBase(file);
      next = { kb: loaded, value: build(loaded) };
    } catch (error) {
      const problems = error instanceof KnowledgeBaseError ? error.problems : [`cannot be used: ${(error as Error).message}`];
      // Remembered, so the same broken content is reported once, not on every touch.
      fingerprint = diskFingerprint(kb);
      logger.error(
        { file: shown, problems: problems.slice(0, 10), more: Math.max(0, problems.length - 10) },
        `knowledge file changed but cannot be used (${problems[0]}); still answering from the last good version`,
      );
      emit({ kind: 'refused', file: shown, problems });
      return;
    }
    kb = next.kb;
    current = next.value;
    fingerprint = diskFingerprint(kb);
    watchFolders();
    const reloadMs = Math.round((performance.now() - startedAt) * 10) / 10;
    const phrasings = kb.entries.reduce((sum, entry) => sum + entry.questions.pl.length + entry.questions.en.length, 0);
    logger.info({ file: shown, entries: kb.entries.length, phrasings, reloadMs }, 'knowledge reloaded');
    emit({ kind: 'reloaded', file: shown, entries: kb.entries.length, phrasings, reloadMs });
  };

  const changed = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
    timer.unref();
  };

  /** Watches the folder of each file (once each), reacting only to events about those files. */
  function watchFolders(): void {
    const files = [kb.files?.knowledge ?? file, kb.files?.article].filter((path): path is string => path !== undefined);
    for (const folder of new Set(files.map((path) => dirname(path)))) {
      if (watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, { persistent: false }, (_event, name) => {
          // Some platforms do not say which file changed: then it may have been ours.
          const names = [kb.files?.knowledge ?? file, kb.files?.article].filter((path) => path !== undefined && dirname(path) === folder).map((path) => basename(path!));
          if (name === null || names.includes(name.toString())) changed();
        });
        watcher.on('error', (error) => {
          logger.warn({ folder, err: error.message }, 'cannot watch the knowledge folder any more; restart to pick up changes');
          watcher.close();
          watchers.delete(folder);
        });
        watchers.set(folder, watcher);
      } catch (error) {
        logger.warn({ folder, err: (error as Error).message }, 'cannot watch the knowledge folder; changes need a restart');
      }
    }
  }
  watchFolders();

  return {
    current: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
      listeners.clear();
    },
  };

  /** The bytes of a base's two files as they are on disk now (or the read error), hashed. */
  function diskFingerprint(base: KnowledgeBase): string {
    const hash = createHash('sha256');
    for (const path of [base.files?.knowledge ?? file, base.files?.article]) {
      if (path === undefined) continue;
      try {
        hash.update(readFileSync(path));
      } catch (error) {
        hash.update(`unreadable:${(error as NodeJS.ErrnoException).code}`);
      }
      hash.update('\0');
    }
    return hash.digest('hex');
  }
}
