import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatCost, formatLatency, summarizeValue } from '../../src/traces/call-format.js';
import { chatMessages } from '../../src/traces/chat-messages.js';

describe('chatMessages', () => {
  test('a list of {role, content} is a chat; text parts are joined', () => {
    const chat = chatMessages([
      { role: 'system', content: 'be brief' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'hi' },
          { type: 'text', text: 'there' },
        ],
      },
    ]);
    assert.deepEqual(
      chat?.map((m) => [m.role, m.content]),
      [
        ['system', 'be brief'],
        ['user', 'hi\nthere'],
      ],
    );
  });

  test('inputs with messages, a completion with choices and recorded client objects are read', () => {
    assert.equal(chatMessages({ model: 'm', messages: [{ role: 'user', content: 'q' }] })?.[0]?.content, 'q');
    const completion = {
      _type: 'object',
      type: 'openai.types.chat.ChatCompletion',
      value: {
        choices: [
          {
            _type: 'object',
            value: {
              message: {
                _type: 'object',
                value: {
                  role: 'assistant',
                  content: null,
                  tool_calls: [{ function: { name: 'search', arguments: '{"q": "<script>"}' } }],
                },
              },
            },
          },
        ],
      },
    };
    const [message] = chatMessages(completion) ?? [];
    assert.equal(message?.role, 'assistant');
    assert.deepEqual(message?.toolCalls, [{ name: 'search', arguments: '{"q": "<script>"}' }]);
  });

  test('anything else is not a chat', () => {
    assert.equal(chatMessages([{ role: 'user', content: 'a' }, 3]), null);
    assert.equal(chatMessages({ answer: 42 }), null);
    assert.equal(chatMessages('text'), null);
    assert.equal(chatMessages([]), null);
  });
});

describe('formats', () => {
  test('latency, cost and value summaries', () => {
    assert.equal(formatLatency(0.0421), '42 ms');
    assert.equal(formatLatency(3.5), '3.50 s');
    assert.equal(formatLatency(null), '…');
    assert.equal(formatCost(0.5), '$0.5000');
    assert.equal(formatCost(0.00042), '$0.00042');
    assert.equal(formatCost(null), '');
    assert.equal(summarizeValue([1, 2]), '[2 items]');
    assert.equal(summarizeValue({ a: 1 }), '{1 key}');
    assert.equal(summarizeValue('x'.repeat(100)).length, 81);
  });
});
