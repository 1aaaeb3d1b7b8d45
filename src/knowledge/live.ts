/**
 * Live reload of the knowledge base. The folders holding the knowledge file, its article and its
 * corpus are watched (not the files: editors such as vim and VS Code save by writing a temporary
 * file and renaming it over the old one, which a watch on the old file would miss); a burst of
 * events is debounced into one reload, which reads and validates exactly as start-up does, in a
 * worker thread (files that are not regular files are refused, not read), and fingerprints what it
 * read, so that a save during a reload is read next rather than taken for done. A
 * valid base replaces the old one in one assignment, so whoever took `current()` keeps a
 * consistent base to the end of its question; an invalid one is refused with a log line, and the
 * last good base stays. What is built from a base (the reader, retrained when the corpus changed)
 * is built off the event loop, so the bot answers from the last good base meanwhile.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import type { Logger } from '../log.ts';
import { diskFingerprint } from './fingerprint.ts';
import { DEFAULT_KNOWLEDGE_FILE, loadKnowledgeBase, type KnowledgeBase, type KnowledgeFiles } from './load.ts';
import { readKnowledgeOffThread } from './reload.ts';

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
  let fingerprint = diskFingerprint(filesOf(kb));
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
    reloading = true;
    const startedAt = performance.now();
    try {
      // Fingerprinted, read and checked in a worker: a large or odd file never holds up an answer.
      const read = await readKnowledgeOffThread(file, filesOf(kb), fingerprint);
      if (stopped) return;
      if (read.kind === 'unchanged') {
        logger.debug({ file: shown }, 'knowledge files touched but unchanged');
        return;
      }
      if (read.kind === 'moving') {
        logger.debug({ file: shown }, 'knowledge files changed while they were read; reading them again');
        changedMeanwhile = true;
        return;
      }
      if (read.kind === 'refused') {
        // Remembered, so the same broken content is reported once, not on every touch.
        fingerprint = read.fingerprint;
        refuse(read.problems);
        return;
      }
      let value: T;
      try {
        value = await rebuild(read.kb);
      } catch (error) {
        fingerprint = read.fingerprint;
        refuse([`cannot be used: ${(error as Error).message}`]);
        return;
      }
      if (stopped) return;
      kb = read.kb;
      current = value;
      fingerprint = read.fingerprint;
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

  function filesOf(base: KnowledgeBase): Pick<KnowledgeFiles, 'knowledge' | 'article' | 'corpus'> {
    return base.files ?? { knowledge: file, article: file };
  }
}
