/**
 * Prometheus metrics for `GET /metrics`, on one prom-client registry. Labels take few values
 * (transport, interaction type, outcome, entry point, answer kind) and never a user id.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AnsweredEvent } from '../bot/context.ts';

export type RequestOutcome =
  | 'answered'
  | 'limited'
  | 'unsupported'
  | 'invalid'
  | 'unauthorized'
  | 'replayed'
  | 'too_large'
  | 'malformed_json'
  | 'shutting_down'
  | 'error';

/** Interaction types by name, for the `type` label. */
const TYPE_NAMES: Record<number, string> = { 1: 'ping', 2: 'command', 3: 'component', 4: 'autocomplete', 5: 'modal' };

export function interactionTypeName(type: unknown): string {
  return typeof type === 'number' ? (TYPE_NAMES[type] ?? 'other') : 'unknown';
}

export interface Metrics {
  registry: Registry;
  countRequest(type: string, outcome: RequestOutcome): void;
  /** For BotContext.onAnswered: every answered question, by entry point and kind, with its latency. */
  observeAnswer(event: AnsweredEvent): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bot_' });
  const requests = new Counter({
    name: 'bot_interactions_total',
    help: 'Interaction requests received, by transport, interaction type and outcome.',
    labelNames: ['transport', 'type', 'outcome'] as const,
    registers: [registry],
  });
  const answers = new Counter({
    name: 'bot_answers_total',
    help: 'Questions answered, by transport, entry point and kind (answer, not-found, small-talk, too-long); the not-found rate is kind="not-found" over all.',
    labelNames: ['transport', 'via', 'kind'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'bot_answer_seconds',
    help: 'From receiving a question to its answer being sent, by transport and entry point.',
    labelNames: ['transport', 'via'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return {
    registry,
    countRequest: (type, outcome) => requests.inc({ transport: 'http', type, outcome }),
    observeAnswer(event) {
      answers.inc({ transport: event.transport, via: event.via, kind: event.result.kind });
      latency.observe({ transport: event.transport, via: event.via }, event.latencyMs / 1000);
    },
  };
}
