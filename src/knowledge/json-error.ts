/** How many characters V8 quotes on either side of a JSON syntax error it gives no position for. */
const QUOTED_CONTEXT = 10;

/**
 * Where in `text` a JSON.parse error is: its "at position", the end for a text cut short, or, when
 * V8 quotes an excerpt around the error instead ("Unexpected token '\n', ..."ned": tru\n  }"..."),
 * the middle of that excerpt. Undefined when it cannot tell.
 */
export function jsonErrorPosition(text: string, error: Error): number | undefined {
  const at = /at position (\d+)/.exec(error.message)?.[1];
  if (at !== undefined) return Number(at);
  if (/Unexpected end/.test(error.message)) return text.length;
  const quoted = /, (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/.exec(error.message);
  if (!quoted?.[1] || quoted[2] === undefined) return undefined;
  const start = text.indexOf(quoted[2]);
  return start === -1 ? undefined : start + QUOTED_CONTEXT;
}

/** The error's own words, without the position or excerpt that the line and column replace, on one line. */
export function jsonErrorReason(error: Error): string {
  return error.message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/ \(line \d+ column \d+\)$/, '')
    .replace(/, (\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, '')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}
