import { DiscordAPIError } from '@discordjs/rest';
import { GatewayCloseCodes } from 'discord-api-types/v10';

/** The gateway closed the connection during login with a code after which retrying cannot help. */
export class GatewayRefusedError extends Error {
  constructor(
    readonly closeCode: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'GatewayRefusedError';
  }
}

export function explainGatewayRefusal(code: number): string {
  return `Discord closed the gateway connection with code ${code} (${GatewayCloseCodes[code] ?? 'unknown'})`;
}

const PORTAL = 'https://discord.com/developers/applications';
const TOKEN_REJECTED = `Discord rejected DISCORD_TOKEN: reset the token in the developer portal (${PORTAL} → your application → Bot → Reset Token) and update .env.`;

/**
 * One sentence saying what to fix after a failed login. The error's own message is only quoted
 * for network trouble, where it is the best clue (ECONNREFUSED, a timeout…).
 */
export function explainLoginError(error: unknown, apiBase: string | undefined): string {
  if (error instanceof DiscordAPIError && error.status === 401) return TOKEN_REJECTED;
  if (error instanceof GatewayRefusedError) {
    switch (error.closeCode) {
      case GatewayCloseCodes.AuthenticationFailed:
        return TOKEN_REJECTED;
      case GatewayCloseCodes.DisallowedIntents:
        return `Discord refused the gateway intents (close code 4014, disallowed intents): the bot asks for the Message Content intent to read replies to its answers that do not ping it, so enable "Message Content Intent" in the developer portal (${PORTAL} → your application → Bot → Privileged Gateway Intents), or set MESSAGE_CONTENT=off in .env to run without it (replies must then ping the bot).`;
      case GatewayCloseCodes.InvalidIntents:
        return 'Discord rejected the gateway intents as invalid (close code 4013): check the intents in src/gateway/client.ts.';
      default:
        return `${error.message}, so the bot cannot connect: look the code up under "Gateway Close Event Codes" in Discord's developer documentation.`;
    }
  }
  const cause = error instanceof Error ? error.message : String(error);
  return `Could not connect to Discord${apiBase ? ` at ${apiBase}` : ''} (${cause}); check the network connection${apiBase ? ' and DISCORD_API_BASE' : ''}.`;
}
