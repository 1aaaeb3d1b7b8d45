import { foldText, termKey } from './normalize.ts';

/**
 * Maps the key of every word of a synonym group to the key of the group's first word, so that
 * "oddają", "przekazać" and "outsource" all search as "zlecać".
 */
export function buildThesaurus(groups: readonly (readonly string[])[]): Map<string, string> {
  const thesaurus = new Map<string, string>();
  for (const group of groups) {
    const canonical = termKey(foldText(group[0] ?? ''));
    for (const word of group) thesaurus.set(termKey(foldText(word)), canonical);
  }
  return thesaurus;
}

/** Words whose key already belongs to another group: the second group would silently win. */
export function findSynonymConflicts(groups: readonly (readonly string[])[]): string[] {
  const owner = new Map<string, number>();
  const problems: string[] = [];
  groups.forEach((group, index) => {
    for (const word of group) {
      const key = termKey(foldText(word));
      const first = owner.get(key);
      if (first !== undefined && first !== index) {
        problems.push(`field "synonyms.${index}": "${word}" searches the same as a word of group ${first}; keep it in one group`);
      }
      owner.set(key, first ?? index);
    }
  });
  return problems;
}
