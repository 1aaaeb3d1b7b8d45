/**
 * The Discord gateway (API v10, JSON encoding, no compression) on a WebSocket: HELLO,
 * heartbeats, IDENTIFY → READY + GUILD_CREATE, RESUME with replay, op 9/op 7, and
 * per-session sequence numbers and event logs.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIInteraction, APIMessage, ApplicationFlags, GatewayReadyDispatchData } from 'discord-api-types/v10';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { shapeForIntents } from './intents.ts';
import { WaitableLog } from './log.ts';
import type { DiscordState } from './state.ts';
import { shardOf } from './snowflake.ts';
import type { RecordedGatewayConnection, RecordedGatewayOp, RecordedIdentify } from './types.ts';

interface LoggedEvent {
  s: number;
  t: string;
  /** The payload as this session received it (after intent shaping). */
  d: unknown;
  /** The payload as dispatched, so undelivered events can be re-shaped for another session. */
  raw: unknown;
  replayable: boolean;
}

interface Session {
  id: string;
  token: string;
  shard: [number, number];
  intents: number;
  seq: number;
  log: LoggedEvent[];
  /** Highest seq actually written to a socket; later entries were never delivered. */
  deliveredSeq: number;
  live: boolean;
  conn: Connection | null;
}

interface Connection {
  id: number;
  socket: WebSocket;
  session: Session | null;
  /** Set once the server decided to close it: dispatches go to the session log instead. */
  closing: boolean;
}

type Data = Record<string, unknown>;

const OP = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, Reconnect: 7, RequestMembers: 8, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 };
/** Client opcodes Discord accepts; anything else is closed with 4001. */
const KNOWN_CLIENT_OPS = new Set([1, 2, 3, 4, 6, 8, 31, 36, 37]);
/** The reasons Discord gives with the close codes an IDENTIFY can end in. */
const REFUSAL_REASONS: Record<number, string> = {
  4004: 'Authentication failed.',
  4010: 'Invalid shard.',
  4011: 'Sharding required.',
  4013: 'Invalid intent(s).',
  4014: 'Disallowed intent(s).',
};

export interface GatewayOptions {
  state: DiscordState;
  heartbeatIntervalMs: number;
  enforceIntents: boolean;
  /** ws://… URL of this gateway, reported as resume_gateway_url. */
  url: () => string;
  /** Identify buckets (`shard_id % max_concurrency`), as `GET /gateway/bot` reports. */
  maxConcurrency: number;
  /** When set, an IDENTIFY sooner than this after the previous one in its bucket gets an invalid session. */
  identifyIntervalMs?: number | undefined;
}

/** Discord requires sharding beyond this many servers on one connection (close code 4011). */
const MAX_GUILDS_PER_SHARD = 2500;

/**
 * The server an event belongs to: `guild_id`, or the id of a GUILD_CREATE/UPDATE/DELETE. Events of
 * no server (DMs, the bot's own user) belong to shard 0, as on Discord.
 */
function guildOf(t: string, raw: unknown): string | undefined {
  const d = (raw ?? {}) as Data;
  if (typeof d.guild_id === 'string') return d.guild_id;
  if ((t === 'GUILD_CREATE' || t === 'GUILD_UPDATE' || t === 'GUILD_DELETE') && typeof d.id === 'string') return d.id;
  return undefined;
}

function shardFor(t: string, raw: unknown, shardCount: number): number {
  const guildId = guildOf(t, raw);
  return guildId === undefined ? 0 : shardOf(guildId, shardCount);
}

export class Gateway {
  readonly ops = new WaitableLog<RecordedGatewayOp>((r) => `#${r.connection} op ${r.op} ${JSON.stringify(r.d)?.slice(0, 120)}`);
  readonly connections: RecordedGatewayConnection[] = [];
  readonly identifies: Data[] = [];
  readonly identifyLog: RecordedIdentify[] = [];
  identifyRateViolations = 0;
  /** When each identify bucket last accepted an IDENTIFY (Date.now()). */
  private readonly lastIdentify = new Map<number, number>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions: Session[] = [];
  private readonly conns = new Set<Connection>();
  /** Events dispatched while no session existed; the next IDENTIFY receives them after its GUILD_CREATEs. */
  private pending: { t: string; raw: unknown }[] = [];
  private nextConnectionId = 1;
  /** Tokens whose IDENTIFY fails with 4004, as Discord does for a token that is not (or no longer) valid. */
  private readonly rejectedTokens = new Set<string>();
  /** Close codes for the next IDENTIFYs, oldest first (e.g. 4014 for disallowed intents). */
  private readonly identifyRefusals: { code: number; reason: string }[] = [];

  constructor(private readonly options: GatewayOptions) {}

  rejectToken(token: string): void {
    this.rejectedTokens.add(token);
  }

  refuseNextIdentify(code: number, reason = REFUSAL_REASONS[code] ?? 'Refused.'): void {
    this.identifyRefusals.push({ code, reason });
  }

  /** From now on, new connections are accepted but never greeted: a gateway that hangs. */
  hang(): void {
    this.hanging = true;
  }

  private hanging = false;

  get openConnections(): number {
    return [...this.conns].filter((c) => c.socket.readyState === WebSocket.OPEN && !c.closing).length;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.replace(/\/$/, '') !== '/gateway') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, url));
  }

  liveShards(): number[] {
    return this.sessions
      .filter((s) => s.live && s.conn)
      .map((s) => s.shard[0])
      .sort((a, b) => a - b);
  }

  /**
   * Sends a dispatch to every live session of the shard it belongs to (or logs it for replay);
   * returns the newest such session's seq, 0 if deferred.
   */
  dispatch(t: string, raw: unknown): number {
    if (t === 'INTERACTION_CREATE') this.options.state.trackInteraction(raw as APIInteraction);
    if (t === 'MESSAGE_CREATE') {
      const message = raw as APIMessage & { guild_id?: string };
      this.options.state.trackMessage(message);
      // A DM's channel exists as soon as someone writes in it; the bot may then post there.
      if (!message.guild_id && !this.options.state.channels.has(message.channel_id)) {
        this.options.state.dmChannelFor(message.author, message.channel_id);
      }
    }
    const live = this.sessions.filter((s) => s.live && s.shard[0] === shardFor(t, raw, s.shard[1]));
    if (live.length === 0) {
      this.pending.push({ t, raw });
      return 0;
    }
    let seq = 0;
    for (const session of live) seq = this.emit(session, t, raw);
    return seq;
  }

  closeConnections(code: number, reason = ''): number {
    const open = [...this.conns].filter((c) => !c.closing);
    for (const conn of open) {
      this.detach(conn);
      // 1006 cannot appear in a close frame: it is what a client sees when the TCP connection just drops.
      if (code === 1006) conn.socket.terminate();
      else conn.socket.close(code, reason);
    }
    return open.length;
  }

  invalidateSessions(resumable: boolean): number {
    const connected = [...this.conns].filter((c) => c.session && !c.closing);
    for (const conn of connected) {
      this.send(conn, { op: OP.InvalidSession, d: resumable, s: null, t: null });
      if (!resumable && conn.session) {
        this.pending.push(...this.retire(conn.session));
        conn.session = null;
      }
    }
    return connected.length;
  }

  /** op 7: Discord asks the client to reconnect and resume. */
  requestReconnect(): number {
    const connected = [...this.conns].filter((c) => c.session && !c.closing);
    for (const conn of connected) this.send(conn, { op: OP.Reconnect, d: null, s: null, t: null });
    return connected.length;
  }

  close(): void {
    for (const conn of this.conns) conn.socket.terminate();
    this.conns.clear();
    this.wss.close();
    this.ops.rejectAll('The Discord test server was closed');
  }

  private accept(socket: WebSocket, url: URL): void {
    const conn: Connection = { id: this.nextConnectionId++, socket, session: null, closing: false };
    const record: RecordedGatewayConnection = {
      connection: conn.id,
      query: Object.fromEntries(url.searchParams),
      at: performance.now(),
    };
    this.connections.push(record);
    this.conns.add(conn);
    socket.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    socket.on('close', (code) => {
      record.closedWith = code;
      this.onClose(conn, code);
    });
    // Clients dropping mid-write surface as socket errors; the close handler does the bookkeeping.
    socket.on('error', () => undefined);

    const version = url.searchParams.get('v');
    const encoding = url.searchParams.get('encoding');
    if (version !== null && version !== '10') return this.refuse(conn, 4012, 'Invalid API version');
    if (encoding !== null && encoding !== 'json') return this.refuse(conn, 4002, 'Only JSON encoding is supported');
    // A `compress=zlib-stream` request is deliberately not honoured: frames stay uncompressed
    // text, which discord.js's @discordjs/ws parses as plain JSON anyway.
    if (this.hanging) return;
    this.send(conn, { op: OP.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null });
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      if (isBinary) throw new Error('binary frame');
      payload = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
    } catch {
      return this.refuse(conn, 4002, 'Error while decoding payload.');
    }
    const op = Number(payload.op);
    this.ops.push({ connection: conn.id, op, d: payload.d, at: performance.now() });
    if (!KNOWN_CLIENT_OPS.has(op)) return this.refuse(conn, 4001, 'Unknown opcode.');
    switch (op) {
      case OP.Heartbeat:
        return this.send(conn, { op: OP.HeartbeatAck, d: null, s: null, t: null });
      case OP.Identify:
        return this.identify(conn, (payload.d ?? {}) as Data);
      case OP.Resume:
        return this.resume(conn, (payload.d ?? {}) as Data);
      default:
        if (!conn.session) return this.refuse(conn, 4003, 'Not authenticated.');
        if (op === OP.RequestMembers) this.requestMembers(conn.session, (payload.d ?? {}) as Data);
      // Presence and voice updates need no answer.
    }
  }

  private identify(conn: Connection, d: Data): void {
    if (conn.session) return this.refuse(conn, 4005, 'Already authenticated.');
    if (typeof d.token !== 'string' || d.token === '' || this.rejectedTokens.has(d.token)) return this.refuse(conn, 4004, 'Authentication failed.');
    const refusal = this.identifyRefusals.shift();
    if (refusal) return this.refuse(conn, refusal.code, refusal.reason);
    const shard: [number, number] =
      Array.isArray(d.shard) && d.shard.length === 2 ? [Number(d.shard[0]), Number(d.shard[1])] : [0, 1];
    if (!Number.isInteger(shard[0]) || !Number.isInteger(shard[1]) || shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) {
      return this.refuse(conn, 4010, 'Invalid shard.');
    }
    const { state } = this.options;
    const guilds = state.guilds.filter((g) => shardOf(g.id, shard[1]) === shard[0]);
    if (guilds.length > MAX_GUILDS_PER_SHARD) return this.refuse(conn, 4011, 'Sharding required.');
    const bucket = shard[0] % this.options.maxConcurrency;
    const now = Date.now();
    const last = this.lastIdentify.get(bucket);
    if (this.options.identifyIntervalMs !== undefined && last !== undefined && now - last < this.options.identifyIntervalMs) {
      // Discord's answer to identifying too fast: the session is invalid, identify again later.
      this.identifyRateViolations += 1;
      return this.send(conn, { op: OP.InvalidSession, d: false, s: null, t: null });
    }
    this.lastIdentify.set(bucket, now);
    this.identifies.push(d);
    this.identifyLog.push({ connection: conn.id, shard, at: performance.now() });
    // A new IDENTIFY replaces the token's previous session on that shard; whatever that session
    // never delivered is handed to the new one rather than silently lost.
    const carried: { t: string; raw: unknown }[] = [];
    for (const old of this.sessions) {
      if (old.live && old.token === d.token && old.shard[0] === shard[0]) carried.push(...this.retire(old));
    }
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      token: d.token,
      shard,
      intents: typeof d.intents === 'number' ? d.intents : 0,
      seq: 0,
      log: [],
      deliveredSeq: 0,
      live: true,
      conn,
    };
    this.sessions.push(session);
    conn.session = session;
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: state.botUser,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.options.url(),
      shard,
      application: { id: state.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.emit(session, 'READY', ready, false);
    for (const guild of guilds) this.emit(session, 'GUILD_CREATE', structuredClone(state.guildCreates.get(guild.id)));
    // Events that waited for a session: this one takes those of its own shard.
    const mine = (event: { t: string; raw: unknown }) => shardFor(event.t, event.raw, shard[1]) === shard[0];
    const queued = [...carried, ...this.pending.filter(mine)];
    this.pending = this.pending.filter((event) => !mine(event));
    for (const event of queued) this.emit(session, event.t, event.raw);
  }

  private resume(conn: Connection, d: Data): void {
    const session = this.sessions.find((s) => s.id === d.session_id);
    if (!session || !session.live || session.token !== d.token) {
      return this.send(conn, { op: OP.InvalidSession, d: false, s: null, t: null });
    }
    if (session.conn && session.conn !== conn) {
      const previous = session.conn;
      this.detach(previous);
      previous.socket.terminate();
    }
    session.conn = conn;
    conn.session = session;
    const from = Number(d.seq ?? 0);
    for (const event of session.log) {
      if (event.replayable && event.s > from) this.send(conn, { op: OP.Dispatch, s: event.s, t: event.t, d: event.d });
    }
    session.deliveredSeq = session.seq;
    this.emit(session, 'RESUMED', {}, false);
  }

  private requestMembers(session: Session, d: Data): void {
    const guildIds = Array.isArray(d.guild_id) ? d.guild_id.map(String) : [String(d.guild_id)];
    const wanted = Array.isArray(d.user_ids) ? d.user_ids.map(String) : typeof d.user_ids === 'string' ? [d.user_ids] : null;
    for (const guildId of guildIds) {
      const members = this.options.state.guildCreates.get(guildId)?.members ?? [];
      const matching = members.filter((m) => !wanted || (m.user && wanted.includes(m.user.id)));
      this.emit(session, 'GUILD_MEMBERS_CHUNK', {
        guild_id: guildId,
        members: matching,
        chunk_index: 0,
        chunk_count: 1,
        not_found: wanted ? wanted.filter((id) => !matching.some((m) => m.user?.id === id)) : [],
        ...(d.nonce !== undefined && { nonce: d.nonce }),
      });
    }
  }

  /** Appends an event to the session's log and writes it if the session has an open socket. */
  private emit(session: Session, t: string, raw: unknown, replayable = true): number {
    const d = this.options.enforceIntents ? shapeForIntents(t, raw, session.intents, this.options.state.botUser) : raw;
    if (d === undefined) return 0;
    const s = ++session.seq;
    session.log.push({ s, t, d, raw, replayable });
    const conn = session.conn;
    if (conn && !conn.closing && conn.socket.readyState === WebSocket.OPEN) {
      conn.socket.send(JSON.stringify({ op: OP.Dispatch, s, t, d }));
      session.deliveredSeq = s;
    }
    return s;
  }

  /** Ends a session; returns the events it logged but never delivered. */
  private retire(session: Session): { t: string; raw: unknown }[] {
    session.live = false;
    return session.log.filter((e) => e.replayable && e.s > session.deliveredSeq).map(({ t, raw }) => ({ t, raw }));
  }

  private detach(conn: Connection): void {
    conn.closing = true;
    if (conn.session?.conn === conn) conn.session.conn = null;
  }

  private onClose(conn: Connection, code: number): void {
    this.conns.delete(conn);
    const session = conn.session;
    if (session?.conn === conn) session.conn = null;
    // A client closing with 1000/1001 ends its session, as on Discord; it will IDENTIFY again.
    if (session?.live && !conn.closing && (code === 1000 || code === 1001)) this.pending.push(...this.retire(session));
  }

  private refuse(conn: Connection, code: number, reason: string): void {
    this.detach(conn);
    conn.socket.close(code, reason);
  }

  private send(conn: Connection, payload: Data): void {
    if (conn.socket.readyState === WebSocket.OPEN) conn.socket.send(JSON.stringify(payload));
  }
}
