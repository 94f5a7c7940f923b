import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../src/errors';
import { RESOURCE_TYPES, type ResourceType } from '../../../src/config/resource-types';
import { checkSchema } from '../../../src/config/validate-resource';
import { decodeDataset, type DatasetEntry } from '../../../src/config/xml/decode-dataset';
import { encodeDataset } from '../../../src/config/xml/encode-dataset';

const EXAMPLE = readFileSync(path.join(__dirname, '../../../examples/dataset.xml'), 'utf8');
const MAX = 5 * 1024 * 1024;

function byType(entries: DatasetEntry[]): Record<ResourceType, Array<Record<string, unknown> & { id: string }>> {
  const out = Object.fromEntries(RESOURCE_TYPES.map((t) => [t, []])) as unknown as Record<ResourceType, Array<Record<string, unknown> & { id: string }>>;
  for (const e of [...entries].sort((a, b) => (a.id < b.id ? -1 : 1))) out[e.type].push({ ...e.value, id: e.id });
  return out;
}

function dataset(sections: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<dataset>${sections}</dataset>`;
}

function appWith(syncDefExtra: string): string {
  return dataset(`<applications><application id="a1"><name>A</name><connectorId>c</connectorId>
    <synchronizationDefinition>
      <objectTypeResolutionDefinition><defaultObjectTypeId>employee</defaultObjectTypeId></objectTypeResolutionDefinition>
      <objectSynchronizationDefinitions><objectSynchronizationDefinition>
        <objectClassId>__ACCOUNT__</objectClassId><shadowKind>ACCOUNT</shadowKind>
        <correlationDefinition><customCorrelationStrategyDefinition><computeRule><script><![CDATA[return [];]]></script></computeRule></customCorrelationStrategyDefinition></correlationDefinition>
        ${syncDefExtra}
      </objectSynchronizationDefinition></objectSynchronizationDefinitions>
    </synchronizationDefinition>
    <schemaMappingDefinition><objectSchemaMappingDefinitions><objectSchemaMappingDefinition><objectClassId>__ACCOUNT__</objectClassId><shadowKind>ACCOUNT</shadowKind></objectSchemaMappingDefinition></objectSchemaMappingDefinitions></schemaMappingDefinition>
  </application></applications>`);
}

function decisionOf(xml: string): unknown {
  const { entries, issues } = decodeDataset(xml, MAX);
  expect(issues).toEqual([]);
  const app = entries[0]!.value as { synchronizationDefinition: { objectSynchronizationDefinitions: Array<Record<string, unknown>> } };
  expect(checkSchema('application', app).ok).toBe(true);
  return app.synchronizationDefinition.objectSynchronizationDefinitions[0]!.synchronizationActionDecisionDefinition;
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('XML dataset codec', () => {
  it('decodes the example dataset into schema-valid resources', () => {
    const { entries, issues } = decodeDataset(EXAMPLE, MAX);
    expect(issues).toEqual([]);
    expect(entries.map((e) => `${e.type}:${e.id}`).sort()).toEqual([
      'application:directory',
      'application:hr',
      'applicationProfile:directory-staff',
      'connectorDefinition:hr-csv',
      'connectorDefinition:ldap',
      'provisioningTaskDefinition:directory-provisioning',
      'provisioningTaskPostProcessingDefinition:directory-report',
      'synchronizationTaskDefinition:hr-import',
      'synchronizationTaskDefinition:hr-reconciliation',
      'synchronizationTaskPostProcessingDefinition:hr-report',
    ]);
    for (const e of entries) expect(checkSchema(e.type, e.value, e.path)).toMatchObject({ ok: true });
    const prov = entries.find((e) => e.id === 'directory-provisioning')!.value;
    expect(prov.scope).toEqual({ kind: 'IDENTITY' });
    const ldap = entries.find((e) => e.id === 'ldap')!.value as { connectorProperties: Record<string, unknown> };
    expect(ldap.connectorProperties.pageSize).toBe(500);
    const csv = entries.find((e) => e.id === 'hr-csv')!.value as { connectorProperties: Record<string, unknown> };
    expect(csv.connectorProperties.header).toBe(true);
  });

  it('encodes the decoded example back to the same document (the example is in canonical form)', () => {
    const { entries } = decodeDataset(EXAMPLE, MAX);
    expect(encodeDataset(byType(entries))).toBe(EXAMPLE);
  });

  it('parses the seed\'s custom decision rule fragment (customDecisionRule with an empty <decisionRules/>)', () => {
    const decision = decisionOf(appWith(`<synchronizationActionDecisionDefinition>
      <customDecisionRule>
        <script><![CDATA[if (IDM_OBJECT?.some_attribute) { return [] } else { return SyncAction.NO_OP }]]></script>
      </customDecisionRule>
      <decisionRules/>
    </synchronizationActionDecisionDefinition>`));
    expect(decision).toEqual({
      customDecisionRule: { script: 'if (IDM_OBJECT?.some_attribute) { return [] } else { return SyncAction.NO_OP }' },
      decisionRules: [],
    });
  });

  it('parses the seed\'s decision rules fragment (actions lists, empty <objectTypes/>)', () => {
    const decision = decisionOf(appWith(`<synchronizationActionDecisionDefinition>
      <decisionRules>
        <decisionRule>
          <actions>
            <action>SYNCHRONIZE_IDM_OBJECT</action>
          </actions>
          <objectMatchingCondition>
            <objectKind>ACCOUNT</objectKind>
            <objectTypes/>
            <simpleObjectMatchingStrategyDefinition>
              <inputAttributeId>lastName</inputAttributeId>
              <regex>Doe</regex>
            </simpleObjectMatchingStrategyDefinition>
          </objectMatchingCondition>
        </decisionRule>
      </decisionRules>
      <defaultActions>
        <action>NO_OP</action>
      </defaultActions>
    </synchronizationActionDecisionDefinition>`));
    expect(decision).toEqual({
      decisionRules: [
        {
          actions: ['SYNCHRONIZE_IDM_OBJECT'],
          objectMatchingCondition: { objectKind: 'ACCOUNT', objectTypes: [], simpleObjectMatchingStrategyDefinition: { inputAttributeId: 'lastName', regex: 'Doe' } },
        },
      ],
      defaultActions: ['NO_OP'],
    });
  });

  it('types text by the schema, never by its look: 007 stays a string, numbers and booleans are typed', () => {
    const { entries, issues } = decodeDataset(
      dataset(`<connectorDefinitions><connectorDefinition id="007"><name>007</name><connectorType>LDAP</connectorType>
        <connectorProperties><url>ldap://h:389</url><baseDn>dc=x</baseDn><pageSize>0100</pageSize><startTls>true</startTls></connectorProperties>
      </connectorDefinition></connectorDefinitions>`),
      MAX,
    );
    expect(issues).toEqual([]);
    expect(entries[0]).toMatchObject({ id: '007', value: { id: '007', name: '007', connectorProperties: { pageSize: '0100', startTls: true } } });
    // "0100" is not a canonical number: it is left as text so the schema reports it at its path
    expect(checkSchema('connectorDefinition', entries[0]!.value)).toMatchObject({ ok: false, issues: [{ path: 'connectorProperties.pageSize' }] });
  });

  it('reads an empty <objectType/> as the null default object type, like a left-out one; an empty name stays an empty string', () => {
    const withEmpty = decodeDataset(appWith('<objectType/>'), MAX);
    const leftOut = decodeDataset(appWith(''), MAX);
    expect(withEmpty.issues).toEqual([]);
    const def = (e: DatasetEntry) => (e.value as { synchronizationDefinition: { objectSynchronizationDefinitions: Array<Record<string, unknown>> } }).synchronizationDefinition.objectSynchronizationDefinitions[0]!;
    expect(def(withEmpty.entries[0]!).objectType).toBeNull();
    expect(checkSchema('application', withEmpty.entries[0]!.value).ok).toBe(true);
    expect(encodeDataset(byType(withEmpty.entries))).toBe(encodeDataset(byType(leftOut.entries)));
    const named = decodeDataset(appWith('<name></name>'), MAX);
    expect(def(named.entries[0]!).name).toBe('');
  });

  it('round-trips scripts holding ]]>, markup characters and control characters', () => {
    const script = 'return "a]]>b" + "<x & y>";\r\n\t// done';
    const resources = byType([]);
    resources.provisioningTaskPostProcessingDefinition.push({ id: 'p', name: 'quote " & <tag>\r\n' });
    resources.application.push({
      id: 'a',
      name: 'A',
      connectorId: 'c',
      schemaMappingDefinition: {
        objectSchemaMappingDefinitions: [{ objectClassId: 'x', shadowKind: 'ACCOUNT', inboundAttributeMappings: [{ idmAttributeId: 'i', custom: { computeRule: { script } } }] }],
      },
    });
    const xml = encodeDataset(resources);
    expect(xml).toContain('<script>return "a]]&gt;b" + "&lt;x &amp; y&gt;";&#13;');
    const cdataScript = 'return "a]]>b";';
    resources.application[0]!.schemaMappingDefinition = { objectSchemaMappingDefinitions: [{ objectClassId: 'x', shadowKind: 'ACCOUNT', inboundAttributeMappings: [{ idmAttributeId: 'i', custom: { computeRule: { script: cdataScript } } }] }] };
    expect(encodeDataset(resources)).toContain('<script><![CDATA[return "a]]]]><![CDATA[>b";]]></script>');
    expect(JSON.stringify(decodeDataset(encodeDataset(resources), MAX).entries)).toContain(JSON.stringify(cdataScript));
    const { entries, issues } = decodeDataset(xml, MAX);
    expect(issues).toEqual([]);
    expect(encodeDataset(byType(entries))).toBe(xml);
    const app = entries.find((e) => e.type === 'application')!.value as { schemaMappingDefinition: { objectSchemaMappingDefinitions: Array<{ inboundAttributeMappings: Array<{ custom: { computeRule: { script: string } } }> }> } };
    expect(app.schemaMappingDefinition.objectSchemaMappingDefinitions[0]!.inboundAttributeMappings[0]!.custom.computeRule.script).toBe(script);
    expect(entries.find((e) => e.type === 'provisioningTaskPostProcessingDefinition')!.value.name).toBe('quote " & <tag>\r\n');
  });

  it('writes every section, empty ones as empty elements', () => {
    expect(encodeDataset(byType([]))).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<dataset>',
        '  <connectorDefinitions/>',
        '  <applications/>',
        '  <synchronizationTaskDefinitions/>',
        '  <synchronizationTaskPostProcessingDefinitions/>',
        '  <applicationProfiles/>',
        '  <provisioningTaskDefinitions/>',
        '  <provisioningTaskPostProcessingDefinitions/>',
        '</dataset>',
        '',
      ].join('\n'),
    );
  });

  it('reports unknown elements, unknown sections, repeated elements and a missing id with their paths', () => {
    const { issues } = decodeDataset(
      dataset(`<widgets/><applicationProfiles><applicationProfile><name>x</name><name>y</name><colour>red</colour></applicationProfile></applicationProfiles>`),
      MAX,
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'widgets', reason: 'unknown section <widgets>' },
        { path: 'applicationProfiles[0].name', reason: '<name> appears more than once' },
        { path: 'applicationProfiles[0].colour', reason: 'unknown element <colour>' },
        { path: 'applicationProfiles[0].id', reason: 'required: <applicationProfile id="...">' },
      ]),
    );
  });

  it('rejects a DTD and entity declarations outright', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><dataset>&lol2;</dataset>`;
    const e = thrown(() => decodeDataset(bomb, MAX));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/DOCTYPE/);
  });

  it('names line and column of malformed XML', () => {
    const e = thrown(() => decodeDataset('<dataset>\n  <applications>\n</dataset>', MAX));
    expect(e.status).toBe(400);
    expect(e.properties).toMatchObject({ line: 3, column: expect.any(Number) });
  });

  it('rejects documents over the size limit (413) and nested too deep (400)', () => {
    expect(thrown(() => decodeDataset(`<dataset>${' '.repeat(2000)}</dataset>`, 1024)).status).toBe(413);
    const deep = `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`;
    const e = thrown(() => decodeDataset(deep, MAX));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/deeper than 64/);
  });
});
