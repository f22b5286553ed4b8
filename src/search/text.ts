/**
 * Turning what people type into terms: emoji out, words split, filler words dropped, words stemmed.
 * The same functions process the knowledge when the index is built, so both sides meet in the same form.
 */
import { stemmer } from 'stemmer';
import { nameWords } from '../knowledge/names.js';

/**
 * What of a question's text carries no meaning for search: Slack's mentions (`<@U123>`, `<!here>`, `<#C1|x>`), a
 * link's markup (its label or URL stays), emoji shortcodes (`:tada:`) and pictographs: none names a service. The
 * text's entities were decoded where Slack text arrives (src/slack/text.ts); nothing here decodes them again.
 */
export function searchableText(text: string): string {
  return (
    text
      .replace(/<[@#!][^>]*>/g, ' ')
      .replace(/<((?:https?|mailto):[^>|]+)\|([^>]+)>/g, ' $2 ')
      .replace(/<((?:https?|mailto):[^>]+)>/g, ' $1 ')
      .replace(/:[a-z0-9_+-]+:/gi, ' ')
      // The joiner and variation selector are meant one by one here: each goes, with the pictographs around it.
      // biome-ignore lint/suspicious/noMisleadingCharacterClass: single code points on purpose
      .replace(/[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u200d\ufe0f]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The words of a text, lowercase, "Amazon"/"AWS" dropped: the same words the name index and the loader see. */
export const words = nameWords;

/**
 * Words that carry no meaning for choosing an entry: question words, pronouns, glue words, politeness, and the
 * vague verbs of questions ("how do I get", "what should I use"). "service" is here because every entry is one.
 */
export const stopWords = new Set(
  `a about above after again all also am an and any anything are as ask at be been being best better both but by
  can could do does doing done each either else ever every explain for from get gets getting give go going good got
  had has have having he hello help her here hey hi him his how i if in into is it its just keep know let like
  look lot make makes making many may me mean might more most much must my need needs new no not now of off ok on
  one only or other our out over please put really recommend right run runs running say service services
  should show so some someone something still such suggest sure take tell than thank thanks that the their
  them then there these they thing things this those through to too try trying up us use used uses using very via
  want wants was way ways we well were what whats when where whether which while who why will with within without
  work works would yes yet you your vs versus between difference differences compare compared comparison
  able actually already alright anybody anyone anyway around basically bit came come comes currently did does dont
  doesnt else etc everybody everyone find finding folks found gets goes gone guys hello hey hi im ive kind kinda
  little lots maybe mine myself nobody often okay perhaps possible pretty probably quick quickly quite rather
  sometimes somebody somehow sort stuff sure team thats theres theyre thing trying usually went whatever whats
  yesterday today tomorrow yeah yep youre aws amazon
  s t d m ll re ve don doesn isn aren wasn weren won wouldn shouldn couldn didn hasn haven near nearby`
    .split(/\s+/)
    .filter(Boolean),
);

/** Words already stemmed (most words of a question are common ones): emptied when it grows past `stemMemoSize`. */
const stemMemo = new Map<string, string>();
const stemMemoSize = 20_000;

/** A word as the index stores it: stemmed, so "queues" meets "queue" and "databases" meets "database". */
export function stem(word: string): string {
  let s = stemMemo.get(word);
  if (s === undefined) {
    s = /^\d+$/.test(word) ? word : stemmer(word);
    if (stemMemo.size >= stemMemoSize) stemMemo.clear();
    stemMemo.set(word, s);
  }
  return s;
}

/**
 * Short forms engineers type, with the word the knowledge uses: the query gets both. Only unambiguous
 * abbreviations: "config" stays (it is AWS Config), "app" stays (too common to mean anything).
 */
export const abbreviations: Record<string, string> = {
  repo: 'repository',
  repos: 'repositories',
  db: 'database',
  dbs: 'databases',
  auth: 'authentication',
  authn: 'authentication',
  authz: 'authorization',
  env: 'environment',
  envs: 'environments',
  infra: 'infrastructure',
  msg: 'message',
  msgs: 'messages',
  notif: 'notification',
  notifs: 'notifications',
  perf: 'performance',
  prod: 'production',
  creds: 'credentials',
  pwd: 'password',
  pw: 'password',
  cert: 'certificate',
  certs: 'certificates',
  var: 'variable',
  vars: 'variables',
  vm: 'virtual machine',
  vms: 'virtual machines',
};

/** The index terms of a text: words, minus stop words, stemmed. */
export function terms(text: string): string[] {
  return words(text)
    .filter((w) => !stopWords.has(w))
    .map(stem);
}
