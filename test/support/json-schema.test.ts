/** The manifest checker (`npm run check:manifest`) finds what Slack's schema would refuse. */
import { describe, expect, it } from 'vitest';
import { schemaProblems } from './json-schema.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['settings'],
  properties: {
    settings: {
      type: 'object',
      additionalProperties: false,
      properties: { bot_events: { type: 'array', uniqueItems: true, items: { $ref: '#/definitions/event' } } },
    },
  },
  definitions: { event: { type: 'string', maxLength: 50, pattern: '^[a-z_.]+$' } },
};

describe('the manifest schema checker', () => {
  it('passes a conforming manifest', () => {
    expect(schemaProblems(schema, { settings: { bot_events: ['app_mention', 'message.im'] } })).toEqual([]);
  });

  it('names each problem with its path', () => {
    expect(schemaProblems(schema, { settings: { bot_events: ['message.im', 'message.im', 'Bad-Event'], surprise: true } })).toEqual([
      '$.settings.bot_events: items are not unique',
      '$.settings.bot_events[2]: does not match /^[a-z_.]+$/',
      '$.settings.surprise: not allowed here',
    ]);
    expect(schemaProblems(schema, {})).toEqual(['$: settings is required']);
  });
});
