/**
 * The knowledge snapshot the build writes (dist/knowledge.json) and the compiled bot starts from: exactly what
 * loading the folder gives, used only while the folder holds the very files it was made from; otherwise the folder
 * is loaded and validated as before, and a bad file still stops the start. The search's indexes kept beside it
 * (dist/search-index.json) are used under the same condition, and only with it.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCore, defaultKnowledgeDir, openCore } from '../../src/core.js';
import { KnowledgeError, loadKnowledge } from '../../src/knowledge/load.js';
import { loadKnowledgeQuickly, readSnapshot, searchIndexFile, writeSnapshot } from '../../src/knowledge/snapshot.js';

const tmp = mkdtempSync(join(tmpdir(), 'aws-guide-snapshot-'));
const dir = join(tmp, 'knowledge');
const file = join(tmp, 'knowledge.json');
cpSync(defaultKnowledgeDir, dir, { recursive: true });

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('the knowledge snapshot', () => {
  it('gives exactly what loading the folder gives', async () => {
    const loaded = loadKnowledge(dir);
    writeSnapshot(file, dir, loaded);
    const fromSnapshot = readSnapshot(file, dir);
    expect(fromSnapshot).toStrictEqual(loaded);
    // The indexes point at the same entry objects as the lists, as the loader's do.
    const sqs = fromSnapshot!.entries.find((e) => e.id === 'sqs');
    expect(fromSnapshot!.byId.get('sqs')).toBe(sqs);
    expect(await loadKnowledgeQuickly(dir, file)).toMatchObject({ from: 'snapshot' });
  });

  it('is not used once a file of the folder changed: the folder is loaded, with the change', async () => {
    const sqsFile = join(dir, 'services', 'sqs.yaml');
    const original = readFileSync(sqsFile, 'utf8');
    writeFileSync(sqsFile, original.replace(/^purpose: .*$/m, 'purpose: Queues, edited after the build'));
    expect(readSnapshot(file, dir)).toBeUndefined();
    const { kb, from } = await loadKnowledgeQuickly(dir, file);
    expect(from).toBe('files');
    const sqs = kb.byId.get('sqs');
    expect(sqs?.kind === 'service' ? sqs.purpose : undefined).toBe('Queues, edited after the build');

    // A bad file stops the start as it always did, snapshot or not.
    writeFileSync(sqsFile, original.replace(/^related: .*$/m, 'related: [snss]'));
    await expect(loadKnowledgeQuickly(dir, file)).rejects.toBeInstanceOf(KnowledgeError);
    writeFileSync(sqsFile, original);
    expect(readSnapshot(file, dir)).toBeDefined();
  });

  it('a file added to the folder, or a snapshot that is missing or unreadable, means loading the folder', async () => {
    writeFileSync(join(dir, 'services', 'notes.txt'), 'not knowledge, but the folder is not what the snapshot was made from');
    expect(readSnapshot(file, dir)).toBeUndefined();
    rmSync(join(dir, 'services', 'notes.txt'));
    expect(readSnapshot(join(tmp, 'none.json'), dir)).toBeUndefined();
    writeFileSync(join(tmp, 'broken.json'), '{"format": 1, "fingerprint": ');
    expect((await loadKnowledgeQuickly(dir, join(tmp, 'broken.json'))).from).toBe('files');
  });

  it("keeps the search's indexes beside it, used only with it: the folder unchanged, and made from the same folder", async () => {
    const loaded = loadKnowledge(dir);
    const index = buildCore(loaded).searcher.toJSON();
    writeSnapshot(file, dir, loaded, index);
    expect(existsSync(searchIndexFile(file))).toBe(true);
    expect((await loadKnowledgeQuickly(dir, file)).index).toStrictEqual(index);
    const core = await openCore(dir, file);
    expect(core.from).toBe('snapshot');
    expect(core.searcher.prebuilt).toBe(true);
    expect(core.answer.ask('sqs').results[0]?.entry.id).toBe('sqs');

    // An index made from another folder (an older build's) is not used; the knowledge still is, indexed afresh.
    const saved = readFileSync(searchIndexFile(file), 'utf8');
    writeFileSync(searchIndexFile(file), saved.replace(/"fingerprint":"[0-9a-f]+"/, '"fingerprint":"0000"'));
    const other = await loadKnowledgeQuickly(dir, file);
    expect(other.from).toBe('snapshot');
    expect(other.index).toBeUndefined();
    expect((await openCore(dir, file)).searcher.prebuilt).toBe(false);
    writeFileSync(searchIndexFile(file), saved);

    // A folder changed since: neither is used.
    const sqsFile = join(dir, 'services', 'sqs.yaml');
    const original = readFileSync(sqsFile, 'utf8');
    writeFileSync(sqsFile, original.replace(/^purpose: .*$/m, 'purpose: Queues, edited after the build'));
    const edited = await openCore(dir, file);
    expect(edited).toMatchObject({ from: 'files' });
    expect(edited.searcher.prebuilt).toBe(false);
    writeFileSync(sqsFile, original);

    // A snapshot written without indexes leaves none from before.
    writeSnapshot(file, dir, loaded);
    expect(existsSync(searchIndexFile(file))).toBe(false);
    expect((await openCore(dir, file)).searcher.prebuilt).toBe(false);
  });
});
