/**
 * Live reload of the knowledge base. The folders holding the knowledge file, its article and its
 * corpus are watched (not the files: editors such as vim and VS Code save by writing a temporary
 * file and renaming it over the old one, which a watch on the old file would miss); a burst of
 * events is debounced into one reload, which reads and validates exactly as start-up does. A
 * valid base replaces the old one in one assignment, so whoever took `current()` keeps a
 * consistent base to the end of its question; an invalid one is refused with a log line, and the
 * last good base stays. What is built from a base (the reader, retrained when the corpus changed)
 * is built off the event loop, so the bot answers from the last good base meanwhile.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Logger } from '../log.ts';
import { DEFAULT_KNOWLEDGE_FILE, KnowledgeBaseError, loadKnowledgeBase, type KnowledgeBase } from './load.ts';

export type ReloadEvent =
  | { kind: 'reloaded'; file: string; entries: number; reloadMs: number }
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
  /** What the handlers need from a base, built at start-up (the answerer with its reader). */
  build: (kb: KnowledgeBase) => T;
  /** The same for a reload, off the event loop (the reader trained in a worker when it must be); `build` by default. */
  rebuild?: (kb: KnowledgeBase) => T | Promise<T>;
  logger: Logger;
  /** Quiet time after the last change before reloading; a burst of saves makes one reload. */
  debounceMs?: number;
}

export const DEFAULT_RELOAD_DEBOUNCE_MS = 250;

/**
 * Loads the knowledge base as start-up does (throwing KnowledgeBaseError if it cannot be used) and
 * keeps it current while the files change. Call `stop()` when shutting down.
 */
export function startLiveKnowledge<T>({ file = DEFAULT_KNOWLEDGE_FILE, build, rebuild = build, logger, debounceMs = DEFAULT_RELOAD_DEBOUNCE_MS }: LiveKnowledgeOptions<T>): LiveKnowledge<T> {
  const shown = relative(process.cwd(), file) || file;
  // The corpus is fingerprinted, not read: its examples are read only when the reader must be trained.
  let kb = loadKnowledgeBase(file, { withExamples: false });
  let current = build(kb);
  let fingerprint = diskFingerprint(kb);
  const listeners = new Set<(event: ReloadEvent) => void>();
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** A reload in progress (its rebuild may take a while), and whether files changed meanwhile. */
  let reloading = false;
  let changedMeanwhile = false;

  const emit = (event: ReloadEvent) => {
    for (const listener of listeners) listener(event);
  };

  const refuse = (problems: string[]) => {
    logger.error(
      { file: shown, problems: problems.slice(0, 10), more: Math.max(0, problems.length - 10) },
      `knowledge file changed but cannot be used (${problems[0]}); still answering from the last good version`,
    );
    emit({ kind: 'refused', file: shown, problems });
  };

  const reload = async () => {
    timer = undefined;
    if (stopped) return;
    if (reloading) {
      changedMeanwhile = true;
      return;
    }
    const onDisk = diskFingerprint(kb);
    if (onDisk === fingerprint) {
      logger.debug({ file: shown }, 'knowledge files touched but unchanged');
      return;
    }
    reloading = true;
    const startedAt = performance.now();
    try {
      let loaded: KnowledgeBase;
      try {
        loaded = loadKnowledgeBase(file, { withExamples: false });
      } catch (error) {
        // Remembered, so the same broken content is reported once, not on every touch.
        fingerprint = onDisk;
        refuse(error instanceof KnowledgeBaseError ? error.problems : [`cannot be used: ${(error as Error).message}`]);
        return;
      }
      let value: T;
      try {
        value = await rebuild(loaded);
      } catch (error) {
        fingerprint = onDisk;
        refuse([`cannot be used: ${(error as Error).message}`]);
        return;
      }
      if (stopped) return;
      kb = loaded;
      current = value;
      fingerprint = onDisk;
      watchFolders();
      const reloadMs = Math.round((performance.now() - startedAt) * 10) / 10;
      logger.info({ file: shown, entries: kb.entries.length, reloadMs }, 'knowledge reloaded');
      emit({ kind: 'reloaded', file: shown, entries: kb.entries.length, reloadMs });
    } finally {
      reloading = false;
      // A save during a long reload is read now, not lost.
      if (changedMeanwhile && !stopped) {
        changedMeanwhile = false;
        changed();
      }
    }
  };

  function changed(): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), debounceMs);
    timer.unref();
  }

  /** Watches the folder of each file (once each), and the corpus folder, reacting only to events about those files. */
  function watchFolders(): void {
    const files = [kb.files?.knowledge ?? file, kb.files?.article].filter((path): path is string => path !== undefined);
    const corpus = kb.files?.corpus;
    const folders = new Set([...files.map((path) => dirname(path)), ...(corpus ? [corpus] : [])]);
    for (const folder of folders) {
      if (watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, { persistent: false }, (_event, name) => {
          // Some platforms do not say which file changed: then it may have been ours.
          if (folder === kb.files?.corpus) {
            if (name === null || /\.jsonl?$/.test(name.toString())) changed();
            return;
          }
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

  /** The bytes of a base's files as they are on disk now (or the read errors), hashed. */
  function diskFingerprint(base: KnowledgeBase): string {
    const hash = createHash('sha256');
    const corpus = base.files?.corpus;
    let corpusFiles: string[] = [];
    try {
      corpusFiles = corpus ? readdirSync(corpus).filter((name) => /\.jsonl?$/.test(name)).sort().map((name) => join(corpus, name)) : [];
    } catch (error) {
      hash.update(`unlistable:${(error as NodeJS.ErrnoException).code}`);
    }
    for (const path of [base.files?.knowledge ?? file, base.files?.article, ...corpusFiles]) {
      if (path === undefined) continue;
      hash.update(path);
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
