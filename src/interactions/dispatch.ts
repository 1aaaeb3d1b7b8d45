/**
 * The one interaction dispatcher, shared by the gateway and the HTTP transport: checks the payload,
 * counts it against the sender's limit, routes it to its handler by type, command name or custom id
 * prefix, and sends the handler's response through the transport's responder. Any failure becomes
 * a log line with context and, when nothing was sent yet, a private "something went wrong".
 */
import {
  ApplicationCommandType,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import { reportAnswered, votesEnabled, type BotContext, type Transport } from '../bot/context.ts';
import { newAnswerRef, withVoteButtons } from '../feedback/vote-buttons.ts';
import { admitQuestion } from '../bot/limits.ts';
import { langFromLocale } from '../bot/locale.ts';
import { errorMessage, rateLimitNotice, type Via } from '../bot/replies.ts';
import { ASK_COMMAND, defaultCommandName, FAQ_COMMAND, HELP_COMMAND, TOPICS_COMMAND } from './commands.ts';
import { messageResponse, type EventContext, type InteractionHandler } from './handler.ts';
import { askCommand } from './handlers/ask.ts';
import { askAutocomplete } from './handlers/autocomplete.ts';
import { helpCommand } from './handlers/help.ts';
import { FAQ_FORM_PREFIX, serverFaqAutocomplete, serverFaqCommand, serverFaqForm } from './handlers/server-faq.ts';
import { topicButton } from './handlers/topic-button.ts';
import { topicsCommand } from './handlers/topics.ts';
import { staleComponent, unknownCommand } from './handlers/unknown.ts';
import { voteButton } from './handlers/vote-button.ts';
import { channelIdOf, checkInteraction, guildIdOf, localeOf, userIdOf } from './payload.ts';
import { respondInTime, trackResponses, type InteractionResponder, type ResponseState } from './responder.ts';

/**
 * Each slash command's handler, by the command's (default) name. Maps, not objects: a name from
 * outside ("constructor", "toString") must not find something on Object.prototype.
 */
const COMMAND_HANDLERS: ReadonlyMap<string, InteractionHandler<APIChatInputApplicationCommandInteraction>> = new Map([
  [ASK_COMMAND.name, askCommand],
  [TOPICS_COMMAND.name, topicsCommand],
  [HELP_COMMAND.name, helpCommand],
  [FAQ_COMMAND.name, serverFaqCommand],
]);

/** Suggestions while typing, by command name. */
const AUTOCOMPLETE_HANDLERS: ReadonlyMap<string, InteractionHandler<never>> = new Map<string, InteractionHandler<never>>([
  [ASK_COMMAND.name, askAutocomplete],
  [FAQ_COMMAND.name, serverFaqAutocomplete],
]);

/** Submitted forms by their custom id's prefix. */
const FORM_HANDLERS: ReadonlyMap<string, InteractionHandler<APIModalSubmitInteraction>> = new Map([[FAQ_FORM_PREFIX, serverFaqForm]]);

/**
 * Component handlers by the custom id's prefix (the part before the first ":"). `topic:` is the
 * related-topic button; other features add theirs through the context (`vote:` for feedback).
 */
export type ComponentHandlers = Readonly<Record<string, InteractionHandler<APIMessageComponentInteraction>>>;
const COMPONENT_HANDLERS: ComponentHandlers = { topic: topicButton, vote: voteButton };

/** Buttons that are feedback, not questions: counted against the generous limit suggestions have. */
const LIGHT_COMPONENTS = new Set(['vote']);

const SELECT_MENUS = new Set<number>([ComponentType.StringSelect, ComponentType.UserSelect, ComponentType.RoleSelect, ComponentType.MentionableSelect, ComponentType.ChannelSelect]);

/**
 * - `answered`: a response was sent (or the attempt failed and was logged);
 * - `limited`: over the sender's limit; the notice (or no suggestions) was sent;
 * - `unsupported`: a kind of interaction the bot does not answer (nothing was sent);
 * - `invalid`: the payload lacks what every interaction carries (nothing was sent).
 */
export type DispatchOutcome = 'answered' | 'limited' | 'unsupported' | 'invalid';

export type Dispatcher = (payload: unknown, responder: InteractionResponder) => Promise<DispatchOutcome>;

interface Route {
  via: Via;
  handler: InteractionHandler<never>;
  /** Which limit the interaction counts against: the question limit, or the generous one for suggestions and votes. */
  limit: 'questions' | 'light';
}

export function createDispatcher(ctx: BotContext, transport: Transport): Dispatcher {
  const components: ComponentHandlerMap = new Map(Object.entries({ ...COMPONENT_HANDLERS, ...ctx.components }));
  const { logger } = ctx;

  return async (payload, responder) => {
    const checked = checkInteraction(payload);
    if (!checked.ok) {
      logger.warn({ transport, problem: checked.problem }, 'malformed interaction ignored');
      return 'invalid';
    }
    const interaction = checked.interaction;
    // A PING is the HTTP endpoint's own business (the HTTP transport answers it before dispatching).
    const route = routeOf(interaction, components);
    if (!route) {
      logger.debug(describe(interaction), 'interaction of a kind the bot does not use');
      return 'unsupported';
    }

    const startedAt = performance.now();
    // Read once: the whole interaction is answered from the knowledge base it arrived under.
    const event: EventContext = {
      answerer: ctx.knowledge.current(),
      logger,
      ...(ctx.feedback ? { feedback: ctx.feedback } : {}),
      ...(ctx.serverKnowledge ? { serverKnowledge: ctx.serverKnowledge } : {}),
    };
    const tracked = trackResponses(responder);
    const lang = () => langFromLocale(localeOf(interaction)) ?? 'pl';
    try {
      if (!(await admitted(interaction, route, ctx, tracked))) return 'limited';
      const handler = route.handler as InteractionHandler<APIInteraction>;
      let answerRef: string | undefined;
      const produce = async () => {
        const handled = await handler.handle(interaction, event);
        // Every answer carries 👍 and 👎, wherever it was asked, when votes can be stored.
        if (handled.answered?.kind !== 'answer' || !votesEnabled(ctx) || handled.response.type !== InteractionResponseType.ChannelMessageWithSource) return handled;
        answerRef = newAnswerRef();
        const data = withVoteButtons(handled.response.data ?? {}, handled.answered.entry.id, answerRef);
        return { ...handled, response: { ...handled.response, data } };
      };
      const handled = await respondInTime(tracked, produce, { defer: handler.defer(interaction, event) });
      if (handled.answered) {
        reportAnswered(ctx, {
          transport,
          via: route.via,
          userId: userIdOf(interaction),
          guildId: guildIdOf(interaction),
          result: handled.answered,
          latencyMs: performance.now() - startedAt,
          ...(answerRef ? { answerRef } : {}),
        });
      }
    } catch (error) {
      logger.error({ err: error, transport, ...describe(interaction) }, 'interaction failed');
      await apologize(interaction, tracked, lang(), ctx);
    }
    return 'answered';
  };
}

type ComponentHandlerMap = ReadonlyMap<string, InteractionHandler<APIMessageComponentInteraction>>;

function routeOf(interaction: APIInteraction, components: ComponentHandlerMap): Route | undefined {
  switch (interaction.type) {
    case InteractionType.ApplicationCommand:
      if (interaction.data.type === ApplicationCommandType.ChatInput) {
        return { via: 'slash', handler: COMMAND_HANDLERS.get(defaultCommandName(interaction.data.name)) ?? unknownCommand, limit: 'questions' };
      }
      // The bot registers no context-menu commands: any that arrives is from an older registration.
      return { via: 'context-menu', handler: unknownCommand, limit: 'questions' };
    case InteractionType.ApplicationCommandAutocomplete:
      return { via: 'autocomplete', handler: AUTOCOMPLETE_HANDLERS.get(defaultCommandName(interaction.data.name)) ?? askAutocomplete, limit: 'light' };
    case InteractionType.MessageComponent: {
      const { component_type: kind, custom_id: customId } = interaction.data;
      if (kind !== ComponentType.Button && !SELECT_MENUS.has(kind)) return undefined;
      const prefix = typeof customId === 'string' ? customId.split(':', 1)[0]! : '';
      const handler = kind === ComponentType.Button ? (components.get(prefix) ?? staleComponent) : staleComponent;
      const light = kind === ComponentType.Button && LIGHT_COMPONENTS.has(prefix);
      return { via: light ? 'vote' : kind === ComponentType.Button ? 'button' : 'select', handler, limit: light ? 'light' : 'questions' };
    }
    case InteractionType.ModalSubmit: {
      const prefix = String(interaction.data.custom_id).split(':', 1)[0]!;
      const form = FORM_HANDLERS.get(prefix);
      // A form from an older version of the bot gets the usual "no longer available".
      return form ? { via: 'modal', handler: form, limit: 'light' } : { via: 'modal', handler: staleComponent, limit: 'questions' };
    }
    default:
      return undefined;
  }
}

/**
 * Counts the interaction against its sender's limit: suggestions while typing against their own
 * generous one (over it: no suggestions), everything else against the question limit (over it: a
 * private notice saying when to ask again, every time, since Discord needs an answer).
 */
async function admitted(interaction: APIInteraction, { via, limit }: Route, ctx: BotContext, responder: InteractionResponder): Promise<boolean> {
  const asker = { via, userId: userIdOf(interaction), guildId: guildIdOf(interaction) };
  if (limit === 'light') {
    const decision = await ctx.limits.suggestions.consume(asker.userId);
    if (decision.allowed) return true;
    if (decision.notify) ctx.logger.info({ ...asker, limited: true, retryInMs: decision.retryInMs }, via === 'vote' ? 'votes rate limited' : 'suggestions rate limited');
    // Over it, suggestions are simply empty; a vote gets the usual private "too fast" notice.
    if (via === 'autocomplete') await responder.respond({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } });
    else await responder.respond(messageResponse(rateLimitNotice(langFromLocale(localeOf(interaction)) ?? 'pl', decision.retryInMs), true));
    return false;
  }
  const admission = await admitQuestion(ctx.limits.questions, asker, ctx.logger, {
    alwaysNotify: true,
    lang: () => langFromLocale(localeOf(interaction)) ?? 'pl',
  });
  if (admission.admitted) return true;
  if (admission.notice) await responder.respond(messageResponse(admission.notice, true));
  return false;
}

async function apologize(interaction: APIInteraction, responder: InteractionResponder & { state: ResponseState }, lang: 'pl' | 'en', ctx: BotContext): Promise<void> {
  const { state } = responder;
  try {
    if (interaction.type === InteractionType.ApplicationCommandAutocomplete) {
      // Empty choices end the "loading" state; the user can still submit what they typed.
      if (!state.acknowledged) await responder.respond({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } });
      return;
    }
    if (state.acknowledged && !state.deferred) return;
    const notice = errorMessage(lang);
    if (state.deferred) {
      // The placeholder may be public; the apology is for the asker only.
      await responder.deleteOriginal().catch(() => undefined);
      await responder.followUp({ ...notice, flags: MessageFlags.Ephemeral });
    } else {
      await responder.respond(messageResponse(notice, true));
    }
  } catch (error) {
    // 10062 "Unknown interaction": the 3 s window has passed, nothing more can be sent.
    const expired = (error as { code?: unknown } | null)?.code === 10062;
    ctx.logger.warn({ err: expired ? undefined : error, ...describe(interaction) }, expired ? 'interaction expired before the apology' : 'could not apologize');
  }
}

/** Context for log lines: who, where, and which command or component. */
export function describe(interaction: APIInteraction): Record<string, unknown> {
  const data = (interaction as { data?: { name?: unknown; custom_id?: unknown } }).data;
  return {
    interactionId: interaction.id,
    type: interaction.type,
    userId: userIdOf(interaction),
    guildId: guildIdOf(interaction),
    channelId: channelIdOf(interaction),
    ...(typeof data?.name === 'string' ? { command: data.name } : {}),
    ...(typeof data?.custom_id === 'string' ? { customId: data.custom_id } : {}),
  };
}
