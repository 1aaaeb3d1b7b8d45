import type { RESTOptions } from '@discordjs/rest';

/** The header a REST proxy (`npm run rest-proxy`) checks before it spends the bot's budget on a request. */
export const PROXY_SECRET_HEADER = 'x-rest-proxy-secret';

/**
 * Options for a REST client: Discord by default, else the API at `apiBase` (a stand-in or the REST
 * proxy), to which the proxy's secret goes along when there is one. Discord itself never sees it.
 */
export function restOptions(apiBase: string | undefined, proxySecret: string | undefined): Partial<RESTOptions> {
  if (!apiBase) return {};
  return { api: apiBase, ...(proxySecret ? { headers: { [PROXY_SECRET_HEADER]: proxySecret } } : {}) };
}
