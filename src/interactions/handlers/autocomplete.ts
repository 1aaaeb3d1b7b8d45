import { InteractionResponseType, type APIApplicationCommandAutocompleteInteraction } from 'discord-api-types/v10';
import { langFromLocale } from '../../bot/locale.ts';
import { questionLanguage } from '../../bot/replies.ts';
import { autocompleteChoices } from '../autocomplete-choices.ts';
import { ASK_COMMAND, ASK_OPTION, defaultCommandName } from '../commands.ts';
import type { InteractionHandler } from '../handler.ts';
import { focusedOption, localeOf } from '../payload.ts';

/**
 * Topic suggestions as the user types the question (type 8). Autocomplete cannot be deferred and
 * must be answered within 3 s; suggestions are computed in well under a millisecond.
 */
export const askAutocomplete: InteractionHandler<APIApplicationCommandAutocompleteInteraction> = {
  defer: () => 'never',
  handle(interaction, { answerer, logger }) {
    const focused = focusedOption(interaction.data.options);
    if (defaultCommandName(interaction.data.name) !== ASK_COMMAND.name || focused?.name !== ASK_OPTION) {
      return { response: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } } };
    }
    const lang = langFromLocale(localeOf(interaction)) ?? questionLanguage(focused.value, answerer);
    const choices = autocompleteChoices(focused.value, answerer, lang);
    logger.debug({ via: 'autocomplete', typed: focused.value, choices: choices.length }, 'suggested');
    return { response: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } } };
  },
};
