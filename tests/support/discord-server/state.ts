/** What the fake Discord remembers between requests: channels, users, messages, interactions, commands. */
import type {
  APIApplicationCommand,
  APIAttachment,
  APIChannel,
  APIDMChannel,
  APIEmbed,
  APIInteraction,
  APIMessage,
  APIUser,
  GatewayGuildCreateDispatchData,
  MessageFlags,
} from 'discord-api-types/v10';
import { ChannelType, EmbedType, MessageType } from 'discord.js';
import { makeDmChannel, makeGuildCreate, makeMessage, makeUser, parseMentions } from './payloads.ts';
import { nextSnowflake } from './snowflake.ts';
import type { GuildSpec, RecordedFile } from './types.ts';

export interface InteractionRecord {
  interaction: APIInteraction;
  /** performance.now() when the interaction was dispatched. */
  dispatchedAt: number;
  acknowledged: boolean;
  responseType?: number;
  original?: APIMessage;
  followups: Map<string, APIMessage>;
  /** The form (modal) the bot answered with, as sent: what the user would fill in. */
  modal?: Record<string, unknown>;
}

type Body = Record<string, unknown>;

// Discord fills in the embed type for embeds sent by bots.
const toEmbeds = (raw: unknown[]): APIEmbed[] => raw.map((e) => ({ type: EmbedType.Rich, ...(e as APIEmbed) }));

const KEPT_FLAGS = 4 | 64 | 4096 | (1 << 15); // suppress embeds, ephemeral, silent, components v2

export class DiscordState {
  readonly guildCreates = new Map<string, GatewayGuildCreateDispatchData>();
  readonly channels = new Map<string, APIChannel>();
  readonly users = new Map<string, APIUser>();
  readonly messages = new Map<string, APIMessage>();
  /** Keyed by interaction token, which is what the webhook routes carry. */
  readonly interactions = new Map<string, InteractionRecord>();
  /** Keyed by "global" or a guild id. */
  readonly commands = new Map<string, APIApplicationCommand[]>();

  constructor(
    readonly applicationId: string,
    readonly botUser: APIUser,
    readonly guilds: GuildSpec[],
  ) {
    this.rememberUser(botUser);
    for (const spec of guilds) {
      const guild = makeGuildCreate(spec, { botUser, applicationId });
      this.guildCreates.set(spec.id, guild);
      for (const channel of guild.channels) this.channels.set(channel.id, channel);
    }
  }

  rememberUser(user: APIUser): void {
    this.users.set(user.id, user);
  }

  userFor(id: string): APIUser {
    let user = this.users.get(id);
    if (!user) {
      user = makeUser({ id });
      this.rememberUser(user);
    }
    return user;
  }

  guildOfChannel(channelId: string): string | undefined {
    const channel = this.channels.get(channelId);
    return channel && 'guild_id' in channel ? channel.guild_id : undefined;
  }

  /** First channel of a guild a message can be posted in. */
  firstTextChannel(guildId: string): string | undefined {
    const guild = this.guildCreates.get(guildId);
    const text = guild?.channels.find((c) => c.type === ChannelType.GuildText || c.type === ChannelType.GuildAnnouncement);
    return text?.id;
  }

  dmChannelFor(user: APIUser, channelId?: string): APIDMChannel {
    const channel = makeDmChannel(user, channelId);
    this.channels.set(channel.id, channel);
    this.rememberUser(user);
    return channel;
  }

  trackMessage(message: APIMessage): void {
    this.messages.set(message.id, message);
    this.rememberUser(message.author);
  }

  trackInteraction(interaction: APIInteraction): InteractionRecord {
    const record: InteractionRecord = {
      interaction,
      dispatchedAt: performance.now(),
      acknowledged: false,
      followups: new Map(),
    };
    this.interactions.set(interaction.token, record);
    const user = interaction.member?.user ?? interaction.user;
    if (user) this.rememberUser(user);
    return record;
  }

  /** A message the bot posts, shaped from a create-message body the way Discord echoes it back. */
  botMessage(channelId: string, body: Body, files: RecordedFile[] = [], extra: Partial<APIMessage> = {}): APIMessage {
    const reference = body.message_reference as { message_id?: string } | undefined;
    const referenced = reference?.message_id ? this.messages.get(reference.message_id) : undefined;
    const message = makeMessage({
      channel_id: channelId,
      author: this.botUser,
      content: typeof body.content === 'string' ? body.content : '',
      tts: body.tts === true,
      embeds: Array.isArray(body.embeds) ? toEmbeds(body.embeds) : [],
      components: Array.isArray(body.components) ? body.components : [],
      flags: ((typeof body.flags === 'number' ? body.flags : 0) & KEPT_FLAGS) as MessageFlags,
      attachments: this.attachments(channelId, body, files),
      mentions: this.mentionsFor(body, referenced),
      ...(reference?.message_id && {
        type: MessageType.Reply,
        message_reference: { type: 0, message_id: reference.message_id, channel_id: channelId, guild_id: this.guildOfChannel(channelId) },
        referenced_message: referenced ?? null,
      }),
      ...extra,
    });
    this.trackMessage(message);
    return message;
  }

  /** Applies an edit body to a stored message. */
  editMessage(message: APIMessage, body: Body, files: RecordedFile[] = []): APIMessage {
    const edited: APIMessage = { ...message, edited_timestamp: new Date().toISOString() };
    if (typeof body.content === 'string' || body.content === null) edited.content = body.content ?? '';
    if (Array.isArray(body.embeds)) edited.embeds = toEmbeds(body.embeds);
    if (Array.isArray(body.components)) edited.components = body.components;
    if (Array.isArray(body.attachments) || files.length) edited.attachments = this.attachments(message.channel_id, body, files);
    if (typeof body.flags === 'number') edited.flags = ((body.flags & KEPT_FLAGS) | ((message.flags ?? 0) & 64)) as MessageFlags;
    // A deferred reply stops "thinking" once it is edited.
    edited.flags = ((edited.flags ?? 0) & ~128) as MessageFlags;
    this.trackMessage(edited);
    return edited;
  }

  private attachments(channelId: string, body: Body, files: RecordedFile[]): APIAttachment[] {
    const described = Array.isArray(body.attachments) ? (body.attachments as Body[]) : [];
    const uploaded = files.map((file, index) => {
      const id = nextSnowflake();
      const meta = described.find((a) => String(a.id) === String(index)) ?? {};
      const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${file.filename}`;
      return {
        id,
        filename: file.filename,
        size: file.size,
        url,
        proxy_url: url.replace('cdn.discordapp.com', 'media.discordapp.net'),
        content_type: file.contentType,
        ...(typeof meta.description === 'string' && { description: meta.description }),
      };
    });
    // Entries naming an existing attachment id keep it (edits).
    const kept = described.filter((a) => typeof a.id === 'string' && a.id.length > 5 && 'url' in a) as unknown as APIAttachment[];
    return [...kept, ...uploaded];
  }

  /** Whom a message notifies: content mentions filtered by allowed_mentions, plus the replied-to author. */
  private mentionsFor(body: Body, referenced: APIMessage | undefined): APIUser[] {
    const allowed = body.allowed_mentions as { parse?: string[]; users?: string[]; replied_user?: boolean } | undefined;
    const content = typeof body.content === 'string' ? body.content : '';
    const users = parseMentions(content, { botUser: this.botUser, resolveUser: (id) => this.userFor(id) }).users.filter(
      (user) => !allowed || allowed.parse?.includes('users') || allowed.users?.includes(user.id),
    );
    if (referenced && (allowed?.replied_user ?? true) && !users.some((u) => u.id === referenced.author.id)) {
      users.push(referenced.author);
    }
    return users;
  }
}
