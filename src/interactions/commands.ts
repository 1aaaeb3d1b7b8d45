import {
  ApplicationCommandOptionType,
  PermissionFlagsBits,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { MAX_QUESTION_LENGTH } from '../answering/answer.ts';

/*
 * Every slash command, declared once: the deploy script registers exactly these objects and the
 * dispatcher routes by their `name`, whichever transport brought the interaction. The default names
 * are Polish, like the article and most users; Discord shows the localized name to users whose
 * client is set to Polish or English.
 * Interactions always carry the default name, whatever the user saw.
 */

/** Where the commands may be used: in servers the bot was added to, and in a DM with the bot. */
const EVERYWHERE: Pick<RESTPostAPIChatInputApplicationCommandsJSONBody, 'type' | 'integration_types' | 'contexts'> = {
  type: ApplicationCommandType.ChatInput,
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
};

export const ASK_OPTION = 'pytanie';

export const ASK_COMMAND = {
  ...EVERYWHERE,
  name: 'zapytaj',
  name_localizations: { pl: 'zapytaj', 'en-US': 'ask', 'en-GB': 'ask' },
  description: 'Zadaj pytanie o BPO; odpowiedź cytuje artykuł',
  description_localizations: {
    pl: 'Zadaj pytanie o BPO; odpowiedź cytuje artykuł',
    'en-US': 'Ask a question about BPO; the answer quotes the article',
    'en-GB': 'Ask a question about BPO; the answer quotes the article',
  },
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: ASK_OPTION,
      name_localizations: { pl: 'pytanie', 'en-US': 'question', 'en-GB': 'question' },
      description: 'Twoje pytanie, np. „Co to jest BPO?”, albo temat z listy',
      description_localizations: {
        pl: 'Twoje pytanie, np. „Co to jest BPO?”, albo temat z listy',
        'en-US': 'Your question, e.g. "What is BPO?", or a topic from the list',
        'en-GB': 'Your question, e.g. "What is BPO?", or a topic from the list',
      },
      required: true,
      min_length: 1,
      max_length: MAX_QUESTION_LENGTH,
      autocomplete: true,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const TOPICS_COMMAND = {
  ...EVERYWHERE,
  name: 'tematy',
  name_localizations: { pl: 'tematy', 'en-US': 'topics', 'en-GB': 'topics' },
  description: 'Pokaż tematy, o które możesz zapytać',
  description_localizations: {
    pl: 'Pokaż tematy, o które możesz zapytać',
    'en-US': 'List the topics you can ask about',
    'en-GB': 'List the topics you can ask about',
  },
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const HELP_COMMAND = {
  ...EVERYWHERE,
  name: 'pomoc',
  name_localizations: { pl: 'pomoc', 'en-US': 'help', 'en-GB': 'help' },
  description: 'Jak zadawać pytania botowi',
  description_localizations: {
    pl: 'Jak zadawać pytania botowi',
    'en-US': 'How to ask the bot questions',
    'en-GB': 'How to ask the bot questions',
  },
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** The option of `edytuj` and `usun` naming the entry (the autocomplete offers the server's entries). */
export const FAQ_ENTRY_OPTION = 'wpis';

/** The subcommands of /wiedza (/faq) by their default (Polish) names. */
export const FAQ_SUBCOMMANDS = { add: 'dodaj', edit: 'edytuj', remove: 'usun', list: 'lista', export: 'eksport' } as const;

const FAQ_ENTRY = {
  type: ApplicationCommandOptionType.String,
  name: FAQ_ENTRY_OPTION,
  name_localizations: { pl: 'wpis', 'en-US': 'entry', 'en-GB': 'entry' },
  description: 'Wpis tego serwera (wybierz z listy)',
  description_localizations: { pl: 'Wpis tego serwera (wybierz z listy)', 'en-US': "One of this server's entries (pick from the list)", 'en-GB': "One of this server's entries (pick from the list)" },
  required: true,
  autocomplete: true,
} as const;

function faqSubcommand(name: string, english: string, pl: string, en: string, withEntry: boolean) {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name,
    name_localizations: { pl: name, 'en-US': english, 'en-GB': english },
    description: pl,
    description_localizations: { pl, 'en-US': en, 'en-GB': en },
    ...(withEntry ? { options: [FAQ_ENTRY] } : {}),
  } as const;
}

/**
 * /wiedza (/faq): the server's own answers, kept by its admins. Hidden from everyone without Manage
 * Server by default; since server admins can change that, the handler checks the member's
 * permissions too. Servers only: a DM has no server to keep knowledge for.
 */
export const FAQ_COMMAND = {
  type: ApplicationCommandType.ChatInput,
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild],
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  name: 'wiedza',
  name_localizations: { pl: 'wiedza', 'en-US': 'faq', 'en-GB': 'faq' },
  description: 'Własne odpowiedzi tego serwera (dla administracji)',
  description_localizations: {
    pl: 'Własne odpowiedzi tego serwera (dla administracji)',
    'en-US': "This server's own answers (for admins)",
    'en-GB': "This server's own answers (for admins)",
  },
  options: [
    faqSubcommand(FAQ_SUBCOMMANDS.add, 'add', 'Dodaj wpis: pytanie, inne sformułowania i odpowiedź', 'Add an entry: a question, other phrasings and the answer', false),
    faqSubcommand(FAQ_SUBCOMMANDS.edit, 'edit', 'Zmień wpis tego serwera', "Change one of this server's entries", true),
    faqSubcommand(FAQ_SUBCOMMANDS.remove, 'remove', 'Usuń wpis tego serwera', "Remove one of this server's entries", true),
    faqSubcommand(FAQ_SUBCOMMANDS.list, 'list', 'Pokaż wpisy tego serwera', "List this server's entries", false),
    faqSubcommand(FAQ_SUBCOMMANDS.export, 'export', 'Wyślij wpisy tego serwera jako plik JSON', "Send this server's entries as a JSON file", false),
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** The body of the bulk-overwrite request: registering replaces whatever was registered before. */
export const COMMANDS = [ASK_COMMAND, TOPICS_COMMAND, HELP_COMMAND, FAQ_COMMAND] as const;


/**
 * Discord always sends a command's and a subcommand's default name, whatever the user saw. A client
 * that sends a localized one ("faq add" for "wiedza dodaj") is understood too: each localized name
 * maps to its default name, from the declarations above.
 */
const DEFAULT_NAMES: ReadonlyMap<string, string> = new Map(
  COMMANDS.flatMap((command) => [command.name, ...Object.values(command.name_localizations)].map((name) => [name, command.name] as const)),
);

export function defaultCommandName(name: string): string {
  return DEFAULT_NAMES.get(name) ?? name;
}

const FAQ_SUBCOMMAND_NAMES: ReadonlyMap<string, string> = new Map(
  FAQ_COMMAND.options.flatMap((sub) => [sub.name, ...Object.values(sub.name_localizations)].map((name) => [name, sub.name] as const)),
);

export function defaultFaqSubcommandName(name: string | undefined): string | undefined {
  return name === undefined ? undefined : (FAQ_SUBCOMMAND_NAMES.get(name) ?? name);
}
