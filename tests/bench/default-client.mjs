// A plain discord.js client with its default caches and the bot's intents: the memory bench's yardstick.
// Plain JavaScript on plain node, as the bot itself runs compiled, so that no loader is counted on either side.
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import process from 'node:process';

const client = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
  partials: [Partials.Channel],
  rest: { api: process.env.DISCORD_API_BASE },
});
client.once(Events.ClientReady, (ready) => {
  process.stderr.write(`${JSON.stringify({ msg: 'ready', guilds: ready.guilds.cache.size })}\n`);
});
process.on('SIGTERM', () => {
  client.destroy().finally(() => process.exit(0));
});
await client.login(process.env.DISCORD_TOKEN);
