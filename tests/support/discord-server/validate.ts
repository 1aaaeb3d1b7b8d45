/**
 * The subset of Discord's request validation a bot is most likely to trip over: message and
 * embed length limits, empty messages, autocomplete choice limits and command-definition rules.
 * A mock that accepted anything would let such bugs through to production.
 */
export interface RestError {
  status: number;
  body: unknown;
}

type Issue = [path: (string | number)[], code: string, message: string];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Builds Discord's nested `errors` object: `{ embeds: { 0: { title: { _errors: [...] } } } }`. */
export function formError(issues: Issue[]): RestError {
  const errors: Record<string, unknown> = {};
  for (const [path, code, message] of issues) {
    let node = errors;
    for (const key of path) {
      const next = (node[String(key)] ??= {}) as Record<string, unknown>;
      node = next;
    }
    ((node._errors ??= []) as unknown[]).push({ code, message });
  }
  return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors } };
}

function maxLength(issues: Issue[], path: Issue[0], value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) {
    issues.push([path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`]);
  }
}

function between(issues: Issue[], path: Issue[0], value: unknown, min: number, max: number): void {
  const length = typeof value === 'string' ? value.length : 0;
  if (length < min || length > max) {
    issues.push([path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`]);
  }
}

function validateEmbeds(issues: Issue[], embeds: unknown[]): void {
  if (embeds.length > 10) issues.push([['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.']);
  let total = 0;
  embeds.forEach((raw, i) => {
    const embed = isRecord(raw) ? raw : {};
    const at = (...rest: (string | number)[]) => ['embeds', i, ...rest];
    maxLength(issues, at('title'), embed.title, 256);
    maxLength(issues, at('description'), embed.description, 4096);
    const fields = list(embed.fields);
    if (fields.length > 25) issues.push([at('fields'), 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.']);
    fields.forEach((rawField, j) => {
      const field = isRecord(rawField) ? rawField : {};
      for (const [key, max] of [['name', 256], ['value', 1024]] as const) {
        if (typeof field[key] !== 'string' || field[key] === '') {
          issues.push([at('fields', j, key), 'BASE_TYPE_REQUIRED', 'This field is required']);
        } else maxLength(issues, at('fields', j, key), field[key], max);
      }
      total += text(field.name).length + text(field.value).length;
    });
    const footer = isRecord(embed.footer) ? embed.footer : {};
    const author = isRecord(embed.author) ? embed.author : {};
    maxLength(issues, at('footer', 'text'), footer.text, 2048);
    maxLength(issues, at('author', 'name'), author.name, 256);
    total += text(embed.title).length + text(embed.description).length + text(footer.text).length + text(author.name).length;
  });
  if (total > 6000) issues.push([['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000']);
}

const COMPONENTS_V2 = 1 << 15;

/**
 * Message create/edit bodies. `partial` (edits) skips the empty-message rule; `hasFiles`
 * counts uploaded files as content.
 */
export function validateMessage(body: unknown, opts: { partial?: boolean; hasFiles?: boolean } = {}): RestError | null {
  const data = isRecord(body) ? body : {};
  const issues: Issue[] = [];
  const v2 = typeof data.flags === 'number' && (data.flags & COMPONENTS_V2) !== 0;
  if (!v2) {
    maxLength(issues, ['content'], data.content, 2000);
    validateEmbeds(issues, list(data.embeds));
    if (list(data.components).length > 5) {
      issues.push([['components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.']);
    }
  }
  if (issues.length) return formError(issues);
  const empty =
    text(data.content).trim() === '' &&
    list(data.embeds).length === 0 &&
    list(data.components).length === 0 &&
    list(data.sticker_ids).length === 0 &&
    list(data.attachments).length === 0 &&
    data.poll === undefined &&
    !opts.hasFiles;
  if (empty && !opts.partial) return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } };
  return null;
}

export function validateAutocompleteChoices(data: unknown): RestError | null {
  const choices = list(isRecord(data) ? data.choices : undefined);
  const issues: Issue[] = [];
  if (choices.length > 25) issues.push([['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.']);
  choices.forEach((raw, i) => {
    const choice = isRecord(raw) ? raw : {};
    between(issues, ['data', 'choices', i, 'name'], choice.name, 1, 100);
    maxLength(issues, ['data', 'choices', i, 'value'], choice.value, 100);
  });
  return issues.length ? formError(issues) : null;
}

const MODAL_SUBMIT = 5;
const AUTOCOMPLETE = 4;
const LABEL = 18;
const ACTION_ROW = 1;
const TEXT_INPUT = 4;

/**
 * A form (modal response, type 9) as Discord checks it: not in answer to a form or to autocomplete;
 * a custom id and a title; 1 to 5 text fields, each in a label (or, the older way, an action row),
 * with a custom id, a style, lengths within 4,000 and a value within them.
 */
export function validateModal(data: unknown, interactionType: number): RestError | null {
  const issues: Issue[] = [];
  if (interactionType === MODAL_SUBMIT || interactionType === AUTOCOMPLETE) {
    return formError([[['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', 'Interaction response type is not valid for this interaction type.']]);
  }
  const modal = isRecord(data) ? data : {};
  between(issues, ['data', 'custom_id'], modal.custom_id, 1, 100);
  between(issues, ['data', 'title'], modal.title, 1, 45);
  const components = list(modal.components);
  if (components.length < 1 || components.length > 5) issues.push([['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.']);
  const ids = new Set<unknown>();
  components.forEach((raw, i) => {
    const top = isRecord(raw) ? raw : {};
    const path = ['data', 'components', i];
    let input: Record<string, unknown> = {};
    if (top.type === LABEL) {
      between(issues, [...path, 'label'], top.label, 1, 45);
      input = isRecord(top.component) ? top.component : {};
    } else if (top.type === ACTION_ROW) {
      const inner = list(top.components);
      input = isRecord(inner[0]) ? inner[0] : {};
      between(issues, [...path, 'components', 0, 'label'], input.label, 1, 45);
    } else {
      issues.push([[...path, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1, 18).']);
      return;
    }
    if (input.type !== TEXT_INPUT) issues.push([[...path, 'component', 'type'], 'UNION_TYPE_CHOICES', 'Only text inputs are checked here.']);
    between(issues, [...path, 'component', 'custom_id'], input.custom_id, 1, 100);
    if (ids.has(input.custom_id)) issues.push([[...path, 'component', 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated']);
    ids.add(input.custom_id);
    if (input.style !== 1 && input.style !== 2) issues.push([[...path, 'component', 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of (1, 2).']);
    const max = typeof input.max_length === 'number' ? input.max_length : 4000;
    if (max < 1 || max > 4000) issues.push([[...path, 'component', 'max_length'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 4000.']);
    if (input.value !== undefined) maxLength(issues, [...path, 'component', 'value'], input.value, max);
  });
  return issues.length ? formError(issues) : null;
}

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const CHAT_INPUT = 1;
const SUBCOMMAND_TYPES = new Set([1, 2]);

function validateName(issues: Issue[], path: Issue[0], name: unknown, lowercase: boolean): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    issues.push([path, 'STRING_TYPE_REGEX', 'String value did not match validation regex.']);
  } else if (lowercase && name !== name.toLowerCase()) {
    issues.push([path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid']);
  }
}

function validateLocalized(issues: Issue[], path: Issue[0], item: Record<string, unknown>, lowercase: boolean): void {
  const names = isRecord(item.name_localizations) ? item.name_localizations : {};
  for (const [locale, name] of Object.entries(names)) validateName(issues, [...path, 'name_localizations', locale], name, lowercase);
  const descriptions = isRecord(item.description_localizations) ? item.description_localizations : {};
  for (const [locale, description] of Object.entries(descriptions)) {
    between(issues, [...path, 'description_localizations', locale], description, 1, 100);
  }
}

function validateOptions(issues: Issue[], path: Issue[0], options: unknown[]): void {
  if (options.length > 25) issues.push([path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.']);
  let sawOptional = false;
  options.forEach((raw, i) => {
    const option = isRecord(raw) ? raw : {};
    const at = [...path, i];
    validateName(issues, [...at, 'name'], option.name, true);
    between(issues, [...at, 'description'], option.description, 1, 100);
    validateLocalized(issues, at, option, true);
    const choices = list(option.choices);
    if (choices.length > 25) issues.push([[...at, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.']);
    choices.forEach((choice, j) => {
      between(issues, [...at, 'choices', j, 'name'], isRecord(choice) ? choice.name : undefined, 1, 100);
    });
    if (SUBCOMMAND_TYPES.has(Number(option.type))) {
      validateOptions(issues, [...at, 'options'], list(option.options));
      return;
    }
    if (option.required === true && sawOptional) {
      issues.push([at, 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options']);
    }
    if (option.required !== true) sawOptional = true;
  });
}

/** Body of `PUT .../commands` (an array) or `POST .../commands` (one command). */
export function validateCommands(body: unknown, single = false): RestError | null {
  const commands = single ? [body] : list(body);
  const issues: Issue[] = [];
  if (!single && !Array.isArray(body)) return formError([[[], 'BASE_TYPE_ARRAY', 'Must be an array.']]);
  const seen = new Set<string>();
  commands.forEach((raw, i) => {
    const command = isRecord(raw) ? raw : {};
    const at: Issue[0] = single ? [] : [i];
    const type = Number(command.type ?? CHAT_INPUT);
    validateName(issues, [...at, 'name'], command.name, type === CHAT_INPUT);
    if (type === CHAT_INPUT) between(issues, [...at, 'description'], command.description, 1, 100);
    validateLocalized(issues, at, command, type === CHAT_INPUT);
    validateOptions(issues, [...at, 'options'], list(command.options));
    const key = `${type}:${text(command.name)}`;
    if (seen.has(key)) issues.push([at, 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique']);
    seen.add(key);
  });
  return issues.length ? formError(issues) : null;
}
