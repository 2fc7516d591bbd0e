/**
 * Chat messages in a call's recorded values: a list of {role, content} (OpenAI, Anthropic, LiteLLM shapes) as
 * recorded by @sg.op, including the client types recorded as {"_type": "object", "value": {...}}.
 */

import { isRecord } from '../is-record.js';

export interface ChatMessage {
  role: string;
  /** The text parts joined; a non-text part is shown as its JSON. */
  content: string;
  /** Tool calls of an assistant message (name and arguments as text). */
  toolCalls: { name: string; arguments: string }[];
}

/** A recorded pydantic model or dataclass is {"_type": "object", "type", "value": {fields}}: its fields. */
export function unwrapObject(value: unknown): unknown {
  if (isRecord(value) && value._type === 'object' && isRecord(value.value)) return value.value;
  return value;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

function contentText(content: unknown): string {
  if (!Array.isArray(content)) return text(content);
  return content
    .map((part) => {
      const p = unwrapObject(part);
      if (isRecord(p) && typeof p.text === 'string') return p.text;
      return text(p);
    })
    .join('\n');
}

function toolCalls(message: Record<string, unknown>): ChatMessage['toolCalls'] {
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  return calls.map((raw) => {
    const call = unwrapObject(raw);
    const fn = isRecord(call) ? unwrapObject(call.function) : undefined;
    const source = isRecord(fn) ? fn : isRecord(call) ? call : {};
    return { name: text(source.name), arguments: text(source.arguments ?? source.input) };
  });
}

function asMessage(raw: unknown): ChatMessage | null {
  const message = unwrapObject(raw);
  if (!isRecord(message) || typeof message.role !== 'string') return null;
  if (!('content' in message) && !('tool_calls' in message)) return null;
  return { role: message.role, content: contentText(message.content), toolCalls: toolCalls(message) };
}

/**
 * The chat in a value: a list of messages, one message, or an object whose `messages` (inputs of a chat call)
 * or `choices[].message` (an OpenAI completion) hold them; null when the value is not a chat.
 */
export function chatMessages(value: unknown): ChatMessage[] | null {
  const v = unwrapObject(value);
  if (Array.isArray(v)) {
    if (v.length === 0) return null;
    const messages = v.map(asMessage);
    return messages.every((m) => m !== null) ? (messages as ChatMessage[]) : null;
  }
  if (!isRecord(v)) return null;
  const single = asMessage(v);
  if (single) return [single];
  if (Array.isArray(v.messages)) return chatMessages(v.messages);
  if (Array.isArray(v.choices)) {
    return chatMessages(
      v.choices.map((choice) => unwrapObject(choice)).map((c) => (isRecord(c) ? c.message : c)),
    );
  }
  return null;
}
