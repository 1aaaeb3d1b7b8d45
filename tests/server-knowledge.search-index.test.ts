import { describe, expect, it } from 'vitest';
import type { ServerEntry } from '../src/server-knowledge/entry.ts';
import { buildServerIndex, createServerIndexes, MATCH_THRESHOLD } from '../src/server-knowledge/search-index.ts';

function entry(id: string, question: string, phrasings: string[] = [], guildId = 'guild-1'): ServerEntry {
  return { id, guildId, question, phrasings, answer: `answer of ${id}`, createdAt: 0, updatedAt: 0 };
}

const MEETUP = entry('meetup01', 'Kiedy jest następny meetup?', ['kiedy spotkanie', 'next meetup date']);
const MEETUP_PLACE = entry('place001', 'Gdzie odbywa się meetup?', ['miejsce spotkania', 'where is the meetup']);
const JOBS = entry('jobs0001', 'Który kanał ma oferty pracy?', ['gdzie są ogłoszenia o pracę', 'job offers channel']);
const RULES = entry('rules001', 'Jakie są zasady serwera?', ['regulamin', 'server rules']);
const index = buildServerIndex([MEETUP, MEETUP_PLACE, JOBS, RULES]);

function found(question: string): { id: string; confidence: number } | undefined {
  const match = index.search(question);
  return match && { id: match.entry.id, confidence: match.confidence };
}

describe('buildServerIndex', () => {
  it('finds the entry asked in its own words with full confidence', () => {
    expect(found('Kiedy jest następny meetup?')).toEqual({ id: 'meetup01', confidence: 1 });
    expect(found('Który kanał ma oferty pracy?')).toEqual({ id: 'jobs0001', confidence: 1 });
  });

  it('finds an entry by one of its phrasings', () => {
    expect(found('kiedy spotkanie?')).toEqual({ id: 'meetup01', confidence: 1 });
    expect(found('regulamin')).toEqual({ id: 'rules001', confidence: 1 });
  });

  it('reads questions without Polish diacritics, in any case, with any punctuation', () => {
    expect(found('KIEDY JEST NASTEPNY MEETUP')).toEqual({ id: 'meetup01', confidence: 1 });
    expect(found('gdzie sa ogloszenia o prace???')).toEqual({ id: 'jobs0001', confidence: 1 });
    expect(found('ktory...kanal, ma oferty-pracy')).toEqual({ id: 'jobs0001', confidence: 1 });
  });

  it('forgives a typo or two in longer words, with a little less confidence', () => {
    const oneTypo = found('kiedy jest nastepny metup');
    expect(oneTypo?.id).toBe('meetup01');
    expect(oneTypo!.confidence).toBeGreaterThan(0.9);
    expect(oneTypo!.confidence).toBeLessThan(1);
    expect(found('kiedy jest nastpeny meetup')?.id).toBe('meetup01');
    expect(found('ktory kanal ma ofetry pracy')?.id).toBe('jobs0001');
  });

  it('finds an entry by its English phrasing and an English question around it', () => {
    expect(found('next meetup date?')).toEqual({ id: 'meetup01', confidence: 1 });
    expect(found('When is the next meetup?')?.id).toBe('meetup01');
    expect(found('Where can I find job offers?')?.id).toBe('jobs0001');
  });

  it('is less confident for a partial overlap than for the whole question', () => {
    const short = found('kiedy meetup?');
    expect(short?.id).toBe('meetup01');
    expect(short!.confidence).toBeLessThan(0.9);
    expect(short!.confidence).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
  });

  it('ranks the entry that asks the same question word first', () => {
    expect(found('gdzie jest meetup?')?.id).toBe('place001');
    expect(found('kiedy jest meetup?')?.id).toBe('meetup01');
    expect(found('where is the next meetup?')?.id).toBe('place001');
    expect(found('when is the meetup')?.id).toBe('meetup01');
  });

  it('does not answer an unrelated question about BPO, nor one sharing only a generic word', () => {
    expect(index.search('co to jest back office?')).toBeUndefined();
    expect(index.search('Ile zarabia się w BPO?')).toBeUndefined();
    expect(index.search('kiedy jest następna rekrutacja?')).toBeUndefined();
    expect(buildServerIndex([MEETUP]).search('co to jest back office?')).toBeUndefined();
  });

  it('does not answer chit-chat or questions of stop words only', () => {
    for (const question of ['hej', 'Dzięki!', 'thanks!', 'co jest jak?', 'What is the...', 'czy?', '', '   ', '???']) {
      expect(index.search(question), question).toBeUndefined();
    }
  });

  it('answers nothing from a server without entries', () => {
    const empty = buildServerIndex([]);
    expect(empty.entries).toBe(0);
    expect(empty.search('Kiedy jest następny meetup?')).toBeUndefined();
  });
});

/** A loader over a mutable list of entries per server that counts its loads and can be held back. */
function fakeStore(servers: Record<string, ServerEntry[]>) {
  const loads: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  return {
    servers,
    loads,
    holdLoads(): () => void {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return open;
    },
    load: async (guildId: string): Promise<ServerEntry[]> => {
      loads.push(guildId);
      // Read when asked, returned when let through: what a database read that takes a while does.
      const entries = [...(servers[guildId] ?? [])];
      await gate;
      return entries;
    },
  };
}

describe('createServerIndexes', () => {
  it('loads a server once and answers from its index after', async () => {
    const store = fakeStore({ a: [MEETUP, JOBS] });
    const indexes = createServerIndexes({ load: store.load });
    expect((await indexes.search('a', 'kiedy spotkanie'))?.entry.id).toBe('meetup01');
    expect((await indexes.search('a', 'oferty pracy'))?.entry.id).toBe('jobs0001');
    expect(store.loads).toEqual(['a']);
    expect(indexes.held()).toEqual({ servers: 1, entries: 2 });
  });

  it('shares one load among concurrent first searches', async () => {
    const store = fakeStore({ a: [MEETUP] });
    const open = store.holdLoads();
    const indexes = createServerIndexes({ load: store.load });
    const searches = Promise.all(Array.from({ length: 5 }, () => indexes.search('a', 'Kiedy jest następny meetup?')));
    open();
    const matches = await searches;
    expect(matches.map((match) => match?.entry.id)).toEqual(Array(5).fill('meetup01'));
    expect(store.loads).toEqual(['a']);
  });

  it('loads nothing for chit-chat', async () => {
    const store = fakeStore({ a: [MEETUP] });
    const indexes = createServerIndexes({ load: store.load });
    expect(await indexes.search('a', 'dzięki!')).toBeUndefined();
    expect(store.loads).toEqual([]);
  });

  it('rebuilds a server invalidated after a change, with the new entry', async () => {
    const store = fakeStore({ a: [MEETUP] });
    const indexes = createServerIndexes({ load: store.load });
    expect(await indexes.search('a', 'regulamin')).toBeUndefined();
    store.servers.a = [MEETUP, RULES];
    expect(await indexes.search('a', 'regulamin')).toBeUndefined();
    indexes.invalidate('a');
    expect(indexes.held()).toEqual({ servers: 0, entries: 0 });
    expect((await indexes.search('a', 'regulamin'))?.entry.id).toBe('rules001');
    expect(store.loads).toEqual(['a', 'a']);
  });

  it('does not keep an index whose load was under way when the server was invalidated', async () => {
    const store = fakeStore({ a: [MEETUP] });
    const open = store.holdLoads();
    const indexes = createServerIndexes({ load: store.load });
    const stale = indexes.search('a', 'regulamin');
    indexes.invalidate('a');
    store.servers.a = [MEETUP, RULES];
    open();
    expect(await stale).toBeUndefined();
    expect((await indexes.search('a', 'regulamin'))?.entry.id).toBe('rules001');
    expect(store.loads).toEqual(['a', 'a']);
  });

  it('lets a failed load fail its searches, and tries again on the next one', async () => {
    let fail = true;
    const indexes = createServerIndexes({
      load: async () => {
        if (fail) throw new Error('database unavailable');
        return [MEETUP];
      },
    });
    await expect(indexes.search('a', 'kiedy spotkanie')).rejects.toThrow('database unavailable');
    fail = false;
    expect((await indexes.search('a', 'kiedy spotkanie'))?.entry.id).toBe('meetup01');
  });

  it('drops the least recently searched servers past maxEntries', async () => {
    const servers = Object.fromEntries(['a', 'b', 'c'].map((guildId) => [guildId, [entry(`${guildId}0000001`, 'Kiedy jest następny meetup?', [], guildId), entry(`${guildId}0000002`, 'Jakie są zasady serwera?', [], guildId)]]));
    const store = fakeStore(servers);
    const indexes = createServerIndexes({ load: store.load, maxEntries: 4 });
    await indexes.search('a', 'meetup');
    await indexes.search('b', 'meetup');
    await indexes.search('a', 'zasady'); // a is now the most recent
    await indexes.search('c', 'meetup'); // past 4 entries: b goes
    expect(indexes.held()).toEqual({ servers: 2, entries: 4 });
    expect((await indexes.search('a', 'zasady serwera'))?.entry.id).toBe('a0000002');
    expect(store.loads).toEqual(['a', 'b', 'c']);
    expect((await indexes.search('b', 'zasady serwera'))?.entry.id).toBe('b0000002');
    expect(store.loads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('holds servers without entries at almost no cost', async () => {
    const store = fakeStore({});
    const indexes = createServerIndexes({ load: store.load, maxEntries: 3 });
    for (const guildId of ['x', 'y', 'z', 'w']) expect(await indexes.search(guildId, 'Kiedy jest następny meetup?')).toBeUndefined();
    expect(indexes.held()).toEqual({ servers: 3, entries: 0 });
  });
});
