import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { EVENT_TYPES, buildJsonSchemas, datasetContentHash, decodeEvent } from '@tracker/events';

// docs/events.md is what worker authors copy from: its examples must be events the tracker takes.
const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'events.md'), 'utf8');
const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map(
  (match) => JSON.parse(match[1]) as Record<string, any>,
);

describe('docs/events.md', () => {
  it('shows an example of every catalog type', () => {
    expect(new Set(examples.map((example) => example.type))).toEqual(new Set(EVENT_TYPES));
  });

  it.each(examples.map((example) => [example.type, example]))(
    'has a %s example the tracker accepts',
    (_type, example) => {
      const result = decodeEvent(JSON.stringify(example));
      expect(result.ok ? 'accepted' : result.rejection.reason).toBe('accepted');
    },
  );

  it('has examples the published any-event schema accepts', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(buildJsonSchemas()['v1/event.schema.json']);
    for (const example of examples)
      expect({ id: example.id, valid: validate(example) }).toEqual({ id: example.id, valid: true });
  });

  it('seals the example dataset version with the hash of its example members', () => {
    const added = examples.find((example) => example.type === 'dataset.members.added')!;
    const sealed = examples.find((example) => example.type === 'dataset.sealed')!;
    expect(sealed.data).toMatchObject({
      datasetId: added.data.datasetId,
      version: added.data.version,
      memberCount: added.data.memberIds.length,
      contentHash: datasetContentHash(added.data.memberIds),
    });
  });
});
