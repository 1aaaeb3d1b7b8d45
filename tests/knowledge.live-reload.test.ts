/**
 * Live reload on real files in a scratch folder, with the real file watcher: a valid change is
 * picked up, saves by renaming a temporary file and bursts of saves work, and an invalid change
 * is refused with a log line while answers go on from the last good base.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { answer, createAnswerer, type Answerer } from '../src/answering/answer.ts';
import { hasCurrentModel, loadReaderInWorker } from '../src/reader/load.ts';
import { runChat } from '../src/cli/chat.ts';
import { startLiveKnowledge, type LiveKnowledge, type ReloadEvent } from '../src/knowledge/live.ts';
import { DEFAULT_KNOWLEDGE_FILE, KnowledgeBaseError, loadKnowledgeBase } from '../src/knowledge/load.ts';
import { captureLogger, LEVEL, type CapturedLine } from './support/capture-log.ts';
import { buildAnswerer, copyKnowledge, copySmallKnowledge, type KnowledgeCopy } from './support/knowledge-copy.ts';

const shipped = readFileSync(DEFAULT_KNOWLEDGE_FILE, 'utf8');
const BACK_OFFICE = 'Co to jest back office?';
const shippedEntries = JSON.parse(shipped).entries as { id: string; answer: { pl: string } }[];
const oldAnswer = shippedEntries.find((e) => e.id === 'back-office')!.answer.pl;

const running: LiveKnowledge<Answerer>[] = [];
afterEach(() => {
  running.splice(0).forEach((live) => live.stop());
});

function scratch(): KnowledgeCopy {
  return copyKnowledge('kb-live-');
}

function start(file: string, debounceMs = 50): { live: LiveKnowledge<Answerer>; lines: CapturedLine[]; events: ReloadEvent[] } {
  const { lines, logger } = captureLogger('debug');
  const live = startLiveKnowledge({ file, build: buildAnswerer, logger, debounceMs });
  running.push(live);
  const events: ReloadEvent[] = [];
  live.subscribe((event) => events.push(event));
  return { live, lines, events };
}

function nextEvent(live: LiveKnowledge<Answerer>): Promise<ReloadEvent> {
  return new Promise((resolve) => {
    const unsubscribe = live.subscribe((event) => {
      unsubscribe();
      resolve(event);
    });
  });
}

/** The shipped file with the back-office answer replaced: still valid. */
function withAnswer(text: string): string {
  return shipped.replace(JSON.stringify(oldAnswer), JSON.stringify(text));
}

const answerText = (answerer: Answerer, question = BACK_OFFICE) => {
  const result = answer(question, answerer);
  return result.kind === 'answer' ? result.entry.answer.pl : `(${result.kind})`;
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a valid change', () => {
  it('is picked up and logged with entry counts; a question that took the old base keeps it', async () => {
    const { file } = scratch();
    const { live, lines } = start(file);
    const before = live.current();
    expect(answerText(before)).toBe(oldAnswer);

    const reloaded = nextEvent(live);
    writeFileSync(file, withAnswer('Nowa odpowiedź o back office.'));
    const event = await reloaded;
    expect(event).toMatchObject({ kind: 'reloaded', file: expect.stringMatching(/bpo\.json$/), entries: shippedEntries.length });
    expect(answerText(live.current())).toBe('Nowa odpowiedź o back office.');
    expect(answerText(before)).toBe(oldAnswer);
    expect(lines).toContainEqual(expect.objectContaining({ level: LEVEL.info, msg: 'knowledge reloaded', entries: shippedEntries.length, reloadMs: expect.any(Number) }));
  });

  it('saved by writing a temporary file and renaming it over the old one (VS Code, atomic writes), again and again', async () => {
    const { dir, file } = scratch();
    const { live } = start(file);
    // A watch on the file itself would follow the replaced file and miss every later save.
    for (const version of ['Pierwszy zapis.', 'Drugi zapis.', 'Trzeci zapis.']) {
      const reloaded = nextEvent(live);
      writeFileSync(join(dir, '.bpo.json.tmp'), withAnswer(version));
      renameSync(join(dir, '.bpo.json.tmp'), file);
      expect(await reloaded).toMatchObject({ kind: 'reloaded' });
      expect(answerText(live.current())).toBe(version);
    }
  });

  it('saved as vim does (the old file renamed to a backup, a new one written, the backup removed), twice', async () => {
    const { dir, file } = scratch();
    const { live } = start(file);
    for (const version of ['Zapisane jak w vimie.', 'Jeszcze raz z vima.']) {
      const reloaded = nextEvent(live);
      renameSync(file, join(dir, 'bpo.json~'));
      writeFileSync(file, withAnswer(version));
      rmSync(join(dir, 'bpo.json~'));
      expect(await reloaded).toMatchObject({ kind: 'reloaded' });
      expect(answerText(live.current())).toBe(version);
    }
  });

  it('a burst of saves makes one reload, of the last version', async () => {
    const { file } = scratch();
    const { live, events } = start(file, 300);
    const reloaded = nextEvent(live);
    // Ten saves 10 ms apart, as an editor's save-all or a formatter on save makes them.
    for (let i = 1; i <= 10; i++) {
      writeFileSync(file, withAnswer(`Wersja ${i}.`));
      await pause(10);
    }
    await reloaded;
    // Late events from the watcher find the files unchanged: no second reload.
    await pause(400);
    expect(events).toEqual([expect.objectContaining({ kind: 'reloaded' })]);
    expect(answerText(live.current())).toBe('Wersja 10.');
  });

  it('other files in the folder are ignored', async () => {
    const { dir, file } = scratch();
    const { events, lines } = start(file);
    writeFileSync(join(dir, 'notes.txt'), 'not the knowledge base');
    writeFileSync(join(dir, '.bpo.json.swp'), 'an editor swap file');
    await pause(300);
    expect(events).toEqual([]);
    expect(lines.filter((line) => /knowledge/.test(line.msg))).toEqual([]);
  });
});

describe('a change to the corpus', () => {
  it('retrains the reader in a worker thread while the last model answers, then answers from the new one', async () => {
    const { file, corpus, model } = copySmallKnowledge('kb-live-');
    const { logger } = captureLogger('debug');
    const live = startLiveKnowledge({ file, build: buildAnswerer, rebuild: async (kb) => createAnswerer(kb, await loadReaderInWorker(kb)), logger, debounceMs: 50 });
    running.push(live);
    const QUESTION = 'zyrafa w biurze';
    expect(answer(QUESTION, live.current()).kind).not.toBe('answer');
    const reloaded = nextEvent(live);
    // Taught the way kb:learn teaches: lines appended to the entry's corpus file.
    appendFileSync(join(corpus, 'back-office.jsonl'), ['zyrafa w biurze', 'żyrafa w biurze?', 'zyrafa biuro', 'a zyrafa w biurze to co', 'giraffe in the office', 'what is the giraffe in the office'].map((text) => `${JSON.stringify({ text, lang: 'pl', brief: 'accepted' })}\n`).join(''));
    // While it trains (seconds), the event loop goes on answering from the last model: were the
    // training on this thread, not one of these would run before the reload.
    const during: string[] = [];
    const asking = setInterval(() => during.push(answer(BACK_OFFICE, live.current()).kind), 50);
    expect(await reloaded).toMatchObject({ kind: 'reloaded' });
    clearInterval(asking);
    expect(during.length).toBeGreaterThanOrEqual(10);
    expect(new Set(during)).toEqual(new Set(['answer']));
    const after = answer(QUESTION, live.current());
    expect(after.kind === 'answer' && after.entry.id).toBe('back-office');
    // Saved for the next start: a fresh load trains nothing.
    expect(hasCurrentModel(loadKnowledgeBase(file))).toBe(true);
    expect(readFileSync(model).length).toBeGreaterThan(0);
  }, 400_000);
});

describe('an invalid change', () => {
  const broken: [string, (text: string) => string, RegExp][] = [
    ['half-written JSON', (text) => text.slice(0, 1000), /not valid JSON/],
    ['a missing field', (text) => text.replace('"quote":', '"quot":'), /field "quote"/],
    ['a duplicate id', (text) => text.replace('"id": "front-office"', '"id": "back-office"'), /duplicate id/],
    ['a quote no longer verbatim', (text) => text.replace('kadrrowo', 'kadrowo'), /field "quote": not an exact substring of the article/],
  ];

  for (const [name, breakIt, problem] of broken) {
    it(`${name}: refused with an error line naming the file and the problem, and answers go on from the last good base`, async () => {
      const { file } = scratch();
      const { live, lines } = start(file);
      const good = live.current();
      const refused = nextEvent(live);
      writeFileSync(file, breakIt(shipped));
      const event = await refused;
      expect(event).toMatchObject({ kind: 'refused', problems: expect.arrayContaining([expect.stringMatching(problem)]) });
      expect(lines).toContainEqual(
        expect.objectContaining({ level: LEVEL.error, file: expect.stringMatching(/bpo\.json$/), msg: expect.stringMatching(/^knowledge file changed but cannot be used \(.*\); still answering from the last good version$/) }),
      );
      expect(live.current()).toBe(good);
      expect(answerText(live.current())).toBe(oldAnswer);
    });
  }

  it('answers never stop while broken versions come and go, and the next good version is taken', async () => {
    const { file } = scratch();
    const { live, events } = start(file);
    let answered = 0;
    const wrong: string[] = [];
    let asking = true;
    // Questions keep arriving on the event loop the whole time, as they would from Discord.
    const ask = () => {
      if (!asking) return;
      const text = answerText(live.current());
      if (text === oldAnswer || text === 'Poprawiona odpowiedź.') answered++;
      else wrong.push(text);
      setImmediate(ask);
    };
    ask();
    for (const [, breakIt] of broken) {
      const refused = nextEvent(live);
      writeFileSync(file, breakIt(shipped));
      await refused;
    }
    const reloaded = nextEvent(live);
    writeFileSync(file, withAnswer('Poprawiona odpowiedź.'));
    await reloaded;
    asking = false;
    expect(wrong).toEqual([]);
    expect(answered).toBeGreaterThan(100);
    expect(events.map((event) => event.kind)).toEqual(['refused', 'refused', 'refused', 'refused', 'reloaded']);
    expect(answerText(live.current())).toBe('Poprawiona odpowiedź.');
  });

  it('a broken article is refused too: the article file is watched as well', async () => {
    const { file, article } = scratch();
    const { live } = start(file);
    const refused = nextEvent(live);
    writeFileSync(article, readFileSync(article, 'utf8').replace('kadrrowo', 'kadrowo'));
    expect(await refused).toMatchObject({ kind: 'refused', problems: expect.arrayContaining([expect.stringMatching(/not an exact substring of the article/)]) });
    expect(answerText(live.current())).toBe(oldAnswer);
  });

  it('a pipe moved over the article or the knowledge file is refused without being read (nothing waits for a writer), and answers go on', async () => {
    const { dir, file, article } = scratch();
    const { live } = start(file);
    for (const [target, name] of [[article, 'bpo-article.txt'], [file, 'bpo.json']] as const) {
      const pipe = join(dir, `pipe-${name}`);
      execFileSync('mkfifo', [pipe]);
      const refused = nextEvent(live);
      renameSync(pipe, target);
      const event = await refused;
      expect(event.kind).toBe('refused');
      expect((event as { problems: string[] }).problems.join('\n')).toMatch(/is not a regular file/);
      expect(answerText(live.current())).toBe(oldAnswer);
      // Put back as it was (a regular file), it is reloaded.
      const back = nextEvent(live);
      writeFileSync(`${target}.tmp`, target === file ? withAnswer('Znowu plik.') : readFileSync(DEFAULT_KNOWLEDGE_FILE.replace(/bpo\.json$/, 'bpo-article.txt')));
      renameSync(`${target}.tmp`, target);
      expect((await back).kind).toBe('reloaded');
    }
    expect(answerText(live.current())).toBe('Znowu plik.');
  });

  it('the same broken content saved again is not reported again', async () => {
    const { file } = scratch();
    const { live, lines } = start(file);
    const refused = nextEvent(live);
    writeFileSync(file, '{');
    await refused;
    writeFileSync(file, '{');
    await pause(300);
    expect(lines.filter((line) => line.level >= LEVEL.warn)).toHaveLength(1);
  });
});

describe('starting and stopping', () => {
  it('a file that is broken at start-up is refused as start-up refuses it', () => {
    const { file } = scratch();
    writeFileSync(file, '{"article": ');
    expect(() => startLiveKnowledge({ file, build: buildAnswerer, logger: captureLogger().logger })).toThrow(KnowledgeBaseError);
  });

  it('after stop(), changes are no longer picked up', async () => {
    const { file } = scratch();
    const { live, events } = start(file);
    const before = live.current();
    live.stop();
    writeFileSync(file, withAnswer('Po zatrzymaniu.'));
    await pause(300);
    expect(events).toEqual([]);
    expect(live.current()).toBe(before);
  });
});

describe('the terminal chat', () => {
  it('answers from the reloaded base after a change, and says so above the prompt', async () => {
    const { file } = scratch();
    const { live } = start(file);
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString('utf8')));
    const chat = runChat(live, input, output);

    input.write(`${BACK_OFFICE}\n`);
    await expect.poll(() => shown, { timeout: 5000 }).toContain(oldAnswer);
    writeFileSync(file, withAnswer('Odpowiedź po przeładowaniu.'));
    await expect.poll(() => shown, { timeout: 5000 }).toMatch(new RegExp(`\\(Knowledge base reloaded from \\S*bpo\\.json: ${shippedEntries.length} entries\\.\\)`));
    input.write(`${BACK_OFFICE}\n`);
    await expect.poll(() => shown, { timeout: 5000 }).toContain('Odpowiedź po przeładowaniu.');
    input.write('exit\n');
    await chat;
  });
});
