import type { AutocompleteInteraction } from 'discord.js';
import { detectLanguage } from '../../answering/language.ts';
import { autocompleteChoices } from '../adapters/autocomplete-choices.ts';
import { ASK_COMMAND, ASK_OPTION } from '../commands.ts';
import type { BotContext } from '../context.ts';
import { langFromLocale } from '../locale.ts';

/**
 * Topic suggestions as the user types the question. Autocomplete cannot be deferred and must be
 * answered within 3 s; suggestions are computed synchronously in well under a millisecond.
 */
export async function handleAutocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  // Read without getFocused(), which throws on a payload that marks no option as focused.
  const focused = interaction.options.data.find((option) => option.focused);
  if (interaction.commandName !== ASK_COMMAND.name || focused?.name !== ASK_OPTION) {
    await interaction.respond([]);
    return;
  }
  const typed = String(focused.value ?? '');
  const lang = langFromLocale(interaction.locale) ?? detectLanguage(typed);
  const choices = autocompleteChoices(typed, ctx.answerer, lang);
  await interaction.respond(choices);
  ctx.logger.debug({ via: 'autocomplete', userId: interaction.user.id, typed, choices: choices.length }, 'suggested');
}
