import {
  ApplicationCommandOptionType,
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

/** The body of the bulk-overwrite request: registering replaces whatever was registered before. */
export const COMMANDS = [ASK_COMMAND, TOPICS_COMMAND, HELP_COMMAND] as const;

