import { ApplicationCommandOptionType, ApplicationIntegrationType, InteractionContextType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { MAX_QUESTION_LENGTH } from '../src/answering/answer.ts';
import { ASK_COMMAND, ASK_OPTION, COMMANDS, FAQ_COMMAND, HELP_COMMAND, TOPICS_COMMAND } from '../src/interactions/commands.ts';

// Discord's rule for command and option names (https://discord.com/developers/docs/interactions/application-commands).
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const LOCALES = ['pl', 'en-US', 'en-GB'] as const;

interface Named {
  name: string;
  description: string;
  name_localizations?: Partial<Record<string, string>>;
  description_localizations?: Partial<Record<string, string>>;
}

/** Every command and option, for checks that apply to both. */
const named: [string, Named][] = COMMANDS.flatMap((command) => [
  [`/${command.name}`, command] as [string, Named],
  ...('options' in command
    ? command.options.flatMap((option) => [
        [`/${command.name} ${option.name}`, option] as [string, Named],
        ...('options' in option && option.options ? option.options.map((inner) => [`/${command.name} ${option.name} ${inner.name}`, inner] as [string, Named]) : []),
      ])
    : []),
]);

describe('command definitions', () => {
  it('declare ask, topics, help and the server knowledge command once each, with unique names', () => {
    expect(COMMANDS.map((command) => command.name)).toEqual([ASK_COMMAND.name, TOPICS_COMMAND.name, HELP_COMMAND.name, FAQ_COMMAND.name]);
    expect(new Set(COMMANDS.map((command) => command.name)).size).toBe(COMMANDS.length);
  });

  it.each(named)('%s: names are valid lowercase Discord names in every locale', (_label, item) => {
    const names = [item.name, ...Object.values(item.name_localizations ?? {})];
    for (const name of names) {
      expect(name).toMatch(NAME);
      expect(name).toBe(name?.toLowerCase());
    }
  });

  it.each(named)('%s: descriptions are 1-100 characters in every locale', (_label, item) => {
    for (const description of [item.description, ...Object.values(item.description_localizations ?? {})]) {
      expect(description?.length).toBeGreaterThanOrEqual(1);
      expect(description?.length).toBeLessThanOrEqual(100);
    }
  });

  it.each(named)('%s: has Polish and English (US and GB) localizations of name and description', (_label, item) => {
    for (const locale of LOCALES) {
      expect(item.name_localizations?.[locale], `name in ${locale}`).toBeTruthy();
      expect(item.description_localizations?.[locale], `description in ${locale}`).toBeTruthy();
    }
    // The default is Polish; the English names really are English.
    expect(item.name_localizations?.pl).toBe(item.name);
    expect(item.name_localizations?.['en-US']).toBe(item.name_localizations?.['en-GB']);
  });

  it('localize to the names the help text mentions', () => {
    expect(ASK_COMMAND.name_localizations).toEqual({ pl: 'zapytaj', 'en-US': 'ask', 'en-GB': 'ask' });
    expect(TOPICS_COMMAND.name_localizations['en-US']).toBe('topics');
    expect(HELP_COMMAND.name_localizations['en-US']).toBe('help');
  });

  it('ask takes one required string question of at most 300 characters, with autocomplete', () => {
    expect(ASK_COMMAND.options).toHaveLength(1);
    const [question] = ASK_COMMAND.options;
    expect(question).toMatchObject({
      type: ApplicationCommandOptionType.String,
      name: ASK_OPTION,
      required: true,
      min_length: 1,
      max_length: 300,
      autocomplete: true,
    });
    expect(question.max_length).toBe(MAX_QUESTION_LENGTH);
    expect(question.name_localizations['en-US']).toBe('question');
  });

  it('work in servers and in DMs with the bot; the server knowledge command in servers only', () => {
    for (const command of COMMANDS) {
      expect(command.contexts).toEqual(command === FAQ_COMMAND ? [InteractionContextType.Guild] : [InteractionContextType.Guild, InteractionContextType.BotDM]);
      expect(command.integration_types).toEqual([ApplicationIntegrationType.GuildInstall]);
    }
  });

  it('/wiedza (/faq) is hidden from members without Manage Server, with add, edit, remove, list and export in both languages', () => {
    expect(FAQ_COMMAND.name_localizations['en-US']).toBe('faq');
    expect(FAQ_COMMAND.default_member_permissions).toBe('32');
    expect(FAQ_COMMAND.options.map((sub) => [sub.name, sub.name_localizations['en-US']])).toEqual([
      ['dodaj', 'add'],
      ['edytuj', 'edit'],
      ['usun', 'remove'],
      ['lista', 'list'],
      ['eksport', 'export'],
    ]);
  });
});
