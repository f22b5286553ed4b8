/**
 * Blocks → readable terminal text, for the local console and `ask`. It prints what Slack would show: headers,
 * sections, fields side by side as consecutive paragraphs, buttons as [labels], links with their URLs.
 */
import type { Block } from './blocks.js';

export function blocksToText(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'header':
        out.push(`== ${b.text.text} ==`);
        break;
      case 'section':
        if (b.text) out.push(mrkdwnToText(b.text.text));
        if (b.fields) out.push(b.fields.map((f) => mrkdwnToText(f.text)).join('\n\n'));
        if (b.accessory && b.accessory.type === 'button') out.push(`[${b.accessory.text.text}]`);
        break;
      case 'context':
        out.push(
          b.elements
            .map((el) => ('text' in el && typeof el.text === 'string' ? mrkdwnToText(el.text) : ''))
            .filter(Boolean)
            .join('  '),
        );
        break;
      case 'actions':
        out.push(
          b.elements
            .map((el) => (el.type === 'button' ? (el.url ? `[${el.text.text}: ${el.url}]` : `[${el.text.text}]`) : ''))
            .filter(Boolean)
            .join(' '),
        );
        break;
      case 'divider':
        out.push('----');
        break;
      default:
        break;
    }
  }
  return out.filter((s) => s.trim()).join('\n');
}

/** mrkdwn → plain text: links as "label (url)", emphasis marks and entities undone, emoji codes kept. */
export function mrkdwnToText(s: string): string {
  return s
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/```/g, '')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s.,:;)!?])/gm, '$1$2')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s.,:;)!?])/gm, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
