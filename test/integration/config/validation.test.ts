import { startTestApi, type TestApi } from '../../harness/api';
import { testSettings, uniqueTenant } from '../../harness/env';
import { application, conf, create, csvConnector, errorPaths, ldapConnector, objectSyncDefinition, PATHS, post, profile, provTask, syncPostProcessing, syncTask, type Json } from './fixtures';

const OSD = 'synchronizationDefinition.objectSynchronizationDefinitions';
const OSM = 'schemaMappingDefinition.objectSchemaMappingDefinitions';
const script = (s: string): Json => ({ script: s });

/** An HR application whose first object synchronization definition is changed by `f`. */
function appWithOsd(f: (osd: Json) => void, more?: (app: Json) => void): Json {
  const app = application('bad');
  f(app.synchronizationDefinition.objectSynchronizationDefinitions[0]);
  more?.(app);
  return app;
}
function appWith(f: (app: Json) => void): Json {
  const app = application('bad');
  f(app);
  return app;
}
const decisionRule = (omc: Json): Json => ({ actions: ['NO_OP'], objectMatchingCondition: omc });

/** [rule, collection, body, the exact paths of properties.errors] — each body breaks one rule only. */
const CASES: Array<[string, string, Json, string[]]> = [
  ['unknown property', PATHS.application, { ...application('bad'), colour: 'red' }, ['colour']],
  ['unknown nested property', PATHS.application, appWithOsd((o) => (o.colour = 'red')), [`${OSD}[0].colour`]],
  ['wrong type', PATHS.application, { ...application('bad'), name: 42 }, ['name']],
  ['$-prefixed key', PATHS.application, { ...application('bad'), $where: 'sleep(1000)' }, ['$where']],
  ['invalid id', PATHS.connectorDefinition, csvConnector('-bad id'), ['id']],
  ['unknown enum value', PATHS.application, appWithOsd((o) => (o.shadowKind = 'PERSON')), [`${OSD}[0].shadowKind`]],
  ['no object synchronization definition', PATHS.application, appWith((a) => (a.synchronizationDefinition.objectSynchronizationDefinitions = [])), ['synchronizationDefinition.objectSynchronizationDefinitions']],
  ['two correlation strategies', PATHS.application, appWithOsd((o) => (o.correlationDefinition.customCorrelationStrategyDefinition = { computeRule: script('return [];') })), [`${OSD}[0].correlationDefinition`]],
  ['no correlation strategy', PATHS.application, appWithOsd((o) => (o.correlationDefinition = {})), [`${OSD}[0].correlationDefinition`]],
  ['duplicate triplet (sync)', PATHS.application, appWith((a) => a.synchronizationDefinition.objectSynchronizationDefinitions.push(objectSyncDefinition())), [`${OSD}[1]`]],
  ['two null object types (sync)', PATHS.application, appWith((a) => a.synchronizationDefinition.objectSynchronizationDefinitions.push({ ...objectSyncDefinition(), objectType: null }, { ...objectSyncDefinition(), objectType: undefined })), [`${OSD}[2].objectType`]],
  ['duplicate triplet (mapping)', PATHS.application, appWith((a) => a.schemaMappingDefinition.objectSchemaMappingDefinitions.push({ objectType: 'employee', objectClassId: '__ACCOUNT__', shadowKind: 'ACCOUNT' })), [`${OSM}[1]`]],
  ['two null object types (mapping)', PATHS.application, appWith((a) => a.schemaMappingDefinition.objectSchemaMappingDefinitions.push({ objectClassId: '__ACCOUNT__', shadowKind: 'ACCOUNT' }, { objectClassId: '__ACCOUNT__', shadowKind: 'ORGANIZATION', objectType: null })), [`${OSM}[2].objectType`]],
  ['assignmentRules with customAssignmentRule', PATHS.application, appWith((a) => Object.assign(a.synchronizationDefinition.objectTypeResolutionDefinition, { assignmentRules: [{ objectTypeId: 'partner', condition: { simple: { inputAttributeId: 'type', regex: '^p' } } }], customAssignmentRule: script('return null;') })), ['synchronizationDefinition.objectTypeResolutionDefinition']],
  ['assignment rule without strategy', PATHS.application, appWith((a) => (a.synchronizationDefinition.objectTypeResolutionDefinition.assignmentRules = [{ objectTypeId: 'partner', condition: {} }])), ['synchronizationDefinition.objectTypeResolutionDefinition.assignmentRules[0].condition']],
  ['regex that does not compile', PATHS.application, appWith((a) => (a.synchronizationDefinition.objectTypeResolutionDefinition.assignmentRules = [{ objectTypeId: 'partner', condition: { simple: { inputAttributeId: 'type', regex: '(unclosed' } } }])), ['synchronizationDefinition.objectTypeResolutionDefinition.assignmentRules[0].condition.simple.regex']],
  ['decisionRules with customDecisionRule', PATHS.application, appWithOsd((o) => (o.synchronizationActionDecisionDefinition = { decisionRules: [decisionRule({ objectKind: 'ACCOUNT', objectTypes: ['employee'] })], customDecisionRule: script('return null;') })), [`${OSD}[0].synchronizationActionDecisionDefinition`]],
  ['decision condition with two strategies', PATHS.application, appWithOsd((o) => (o.synchronizationActionDecisionDefinition = { decisionRules: [decisionRule({ objectKind: 'ACCOUNT', simpleObjectMatchingStrategyDefinition: { inputAttributeId: 'a', regex: 'b' }, customObjectMatchingStrategyDefinition: { computeRule: script('return true;') } })] })), [`${OSD}[0].synchronizationActionDecisionDefinition.decisionRules[0].objectMatchingCondition`]],
  ['decision condition without strategy nor object types', PATHS.application, appWithOsd((o) => (o.synchronizationActionDecisionDefinition = { decisionRules: [decisionRule({ objectKind: 'ACCOUNT', objectTypes: [] })] })), [`${OSD}[0].synchronizationActionDecisionDefinition.decisionRules[0].objectMatchingCondition.objectTypes`]],
  ['action incompatible with its situation', PATHS.application, appWithOsd((o) => (o.reactionDefinitions = [{ situation: 'UNMATCHED', actions: ['ADD_IDM_OBJECT', 'LINK'] }])), [`${OSD}[0].reactionDefinitions[0].actions[1]`]],
  ['SYNCHRONIZE_IDM_OBJECT in UNLINKED before LINK', PATHS.application, appWithOsd((o) => (o.reactionDefinitions = [{ situation: 'UNLINKED', actions: ['SYNCHRONIZE_IDM_OBJECT', 'LINK'] }])), [`${OSD}[0].reactionDefinitions[0].actions[0]`]],
  ['PATCH without customAction', PATHS.application, appWithOsd((o) => (o.reactionDefinitions = [{ situation: 'LINKED', actions: ['PATCH'] }])), [`${OSD}[0].customAction`]],
  ['PATCH in defaultActions without customAction', PATHS.application, appWithOsd((o) => (o.synchronizationActionDecisionDefinition = { defaultActions: ['PATCH'] })), [`${OSD}[0].customAction`]],
  ['entitlements are not synchronized', PATHS.application, appWithOsd((o) => (o.shadowKind = 'ENTITLEMENT')), [`${OSD}[0].shadowKind`]],
  ['CSV connector with another object class', PATHS.application, appWithOsd((o) => (o.objectClassId = 'inetOrgPerson')), [`${OSD}[0].objectClassId`]],
  ['LDAP connector with __ACCOUNT__', PATHS.application, appWith((a) => (a.connectorId = 'ldap')), [`${OSD}[0].objectClassId`, `${OSM}[0].objectClassId`]],
  ['mapping with both simple and custom', PATHS.application, appWith((a) => (a.schemaMappingDefinition.objectSchemaMappingDefinitions[0].inboundAttributeMappings[0].custom = { computeRule: script('return 1;') })), [`${OSM}[0].inboundAttributeMappings[0]`]],
  ['mapping with neither simple nor custom', PATHS.application, appWith((a) => (a.schemaMappingDefinition.objectSchemaMappingDefinitions[0].outboundAttributeMappings = [{ applicationAttributeId: 'sn' }])), [`${OSM}[0].outboundAttributeMappings[0]`]],
  ['IDM attribute mapped twice', PATHS.application, appWith((a) => a.schemaMappingDefinition.objectSchemaMappingDefinitions[0].inboundAttributeMappings.push({ idmAttributeId: 'lastName', simple: { applicationAttributeId: 'name' } })), [`${OSM}[0].inboundAttributeMappings[1].idmAttributeId`]],
  ['CSV filePath leaving the tenant directory', PATHS.connectorDefinition, { ...csvConnector('bad'), connectorProperties: { filePath: '../other-tenant/hr.csv', uidAttribute: 'id' } }, ['connectorProperties.filePath']],
  ['absolute CSV filePath', PATHS.connectorDefinition, { ...csvConnector('bad'), connectorProperties: { filePath: '/etc/passwd', uidAttribute: 'id' } }, ['connectorProperties.filePath']],
  ['CSV header false without columns', PATHS.connectorDefinition, { ...csvConnector('bad'), connectorProperties: { filePath: 'a.csv', uidAttribute: 'id', header: false } }, ['connectorProperties.columns']],
  ['LDAP url', PATHS.connectorDefinition, { ...ldapConnector('bad'), connectorProperties: { ...ldapConnector().connectorProperties, url: 'http://x' } }, ['connectorProperties.url']],
  ['unknown connector type', PATHS.connectorDefinition, { ...csvConnector('bad'), connectorType: 'SQL' }, ['connectorType']],
  ['unknown error report column', PATHS.synchronizationTaskPostProcessingDefinition, { ...syncPostProcessing('bad'), reportDefinition: { errorPublicationDefinition: { errorDetails: ['SHADOW_ID', 'COLOUR'] } } }, ['reportDefinition.errorPublicationDefinition.errorDetails[1]']],
  ['archive directory leaving the tenant directory', PATHS.synchronizationTaskPostProcessingDefinition, { ...syncPostProcessing('bad'), fileArchivingDefinition: { archiveDirectory: 'a/../../b' } }, ['fileArchivingDefinition.archiveDirectory']],
  ['sync task type', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), taskType: 'PROVISIONING' }, ['taskType']],
  ['sync task object class unknown to the application', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), objectClassId: 'inetOrgPerson' }, ['objectClassId']],
  ['CRON plan without cron', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), executionPlan: { scheduleType: 'CRON' } }, ['executionPlan.cron']],
  ['invalid Quartz cron', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), executionPlan: { scheduleType: 'CRON', cron: '0 0 12 * * *' } }, ['executionPlan.cron']],
  ['CRON plan with an interval', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), executionPlan: { scheduleType: 'CRON', cron: '0 */5 * * * ? *', interval: 5 } }, ['executionPlan.interval']],
  ['INTERVAL plan without unit', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), executionPlan: { scheduleType: 'INTERVAL', interval: 5 } }, ['executionPlan.intervalUnit']],
  ['non-positive interval', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), executionPlan: { scheduleType: 'INTERVAL', interval: 0, intervalUnit: 'HOURS' } }, ['executionPlan.interval']],
  ['ONCE plan with a bad date', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), executionPlan: { scheduleType: 'ONCE', fireTime: 'tomorrow' } }, ['executionPlan.fireTime']],
  ['MANUAL plan with a cron', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), executionPlan: { scheduleType: 'MANUAL', cron: '0 */5 * * * ? *' } }, ['executionPlan.cron']],
  ['time zone in the wrong letter case', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), executionPlan: { scheduleType: 'INTERVAL', interval: 1, intervalUnit: 'DAYS', timeZone: 'utc' } }, ['executionPlan.timeZone']],
  ['cron year before 2000', PATHS.provisioningTaskDefinition, { ...provTask('bad'), executionPlan: { scheduleType: 'CRON', cron: '0 0 1 ? * MON 1999' } }, ['executionPlan.cron']],
  ['interval longer than a century', PATHS.provisioningTaskDefinition, { ...provTask('bad'), executionPlan: { scheduleType: 'INTERVAL', interval: 1_000_000_000_000, intervalUnit: 'MINUTES' } }, ['executionPlan.interval']],
  ['ONCE plan in the year 9999', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), executionPlan: { scheduleType: 'ONCE', fireTime: '9999-12-31T23:59:59Z' } }, ['executionPlan.fireTime']],
  ['ONCE plan on February 30th', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), executionPlan: { scheduleType: 'ONCE', fireTime: '2030-02-30T00:00:00Z' } }, ['executionPlan.fireTime']],
  ['unknown time zone', PATHS.synchronizationTaskDefinition, { ...syncTask('bad'), executionPlan: { scheduleType: 'INTERVAL', interval: 1, intervalUnit: 'DAYS', timeZone: 'Mars/Olympus' } }, ['executionPlan.timeZone']],
  ['profile condition with two strategies', PATHS.applicationProfile, { ...profile('bad'), objectMatchingCondition: { objectKind: 'IDENTITY', simpleObjectMatchingStrategyDefinition: { inputAttributeId: 'a', regex: 'b' }, customObjectMatchingStrategyDefinition: { computeRule: script('return true;') } } }, ['objectMatchingCondition']],
  ['profile condition without strategy nor types', PATHS.applicationProfile, { ...profile('bad'), objectMatchingCondition: { objectKind: 'IDENTITY' } }, ['objectMatchingCondition.objectTypes']],
  ['profile objectKind must be an IDM kind', PATHS.applicationProfile, { ...profile('bad'), objectMatchingCondition: { objectKind: 'ACCOUNT', objectTypes: ['employee'] } }, ['objectMatchingCondition.objectKind']],
  ['provisioning scope with a forbidden operator', PATHS.provisioningTaskDefinition, { ...provTask('bad'), scope: { $where: 'sleep(1)' } }, ['scope.$where']],
  ['provisioning sort expression', PATHS.provisioningTaskDefinition, { ...provTask('bad'), sortExpression: 'createdAt' }, ['sortExpression']],
  ['provisioning application listed twice', PATHS.provisioningTaskDefinition, { ...provTask('bad'), applicationIds: ['hr', 'hr'] }, ['applicationIds[1]']],
];

describe('configuration validation over HTTP', () => {
  let api: TestApi;
  const tenant = uniqueTenant('val');

  beforeAll(async () => {
    api = await startTestApi(testSettings());
    await create(api, tenant, PATHS.connectorDefinition, csvConnector('csv'));
    await create(api, tenant, PATHS.connectorDefinition, ldapConnector('ldap'));
    await create(api, tenant, PATHS.application, application('hr', 'csv'));
  });
  afterAll(async () => api.close());

  it.each(CASES)('%s → 400 at the right path', async (_rule, collection, body, paths) => {
    const res = await post(api, tenant, collection, body);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ errorId: 'SYNC-C0000400', label: 'VALIDATION_ERROR', properties: { path: paths[0], reason: expect.any(String) } });
    expect(errorPaths(res)).toEqual(paths);
    expect((await api.req('GET', conf(tenant, collection, body.id))).status).toBe(404);
  });

  it('a compute rule syntax error is a 400 with its line and column', async () => {
    const res = await post(api, tenant, PATHS.application, appWithOsd((o) => (o.correlationDefinition = { customCorrelationStrategyDefinition: { computeRule: script('const a = 1;\nreturn [a;') } })));
    expect(res.status).toBe(400);
    expect(res.json.properties.errors).toEqual([
      { path: `${OSD}[0].correlationDefinition.customCorrelationStrategyDefinition.computeRule.script`, reason: expect.stringMatching(/line 2, column 10/), line: 2, column: 10 },
    ]);
  });

  it('a compute rule nested a hundred thousand levels deep is a 400, and the service goes on checking scripts', async () => {
    const deep = appWithOsd((o) => (o.correlationDefinition = { customCorrelationStrategyDefinition: { computeRule: script(`return ${'['.repeat(100_000)}`) } }));
    const res = await post(api, tenant, PATHS.application, deep);
    expect(res.status).toBe(400);
    expect(res.json.properties.errors).toEqual([expect.objectContaining({ line: 1, reason: expect.stringMatching(/nested too deeply/) })]);
    const next = await post(api, tenant, PATHS.application, appWithOsd((o) => (o.correlationDefinition = { customCorrelationStrategyDefinition: { computeRule: script('return [];') } }), (a) => (a.id = 'after-deep')));
    expect(next.status).toBe(201);
  });

  it('reports every problem of a body together', async () => {
    const res = await post(api, tenant, PATHS.synchronizationTaskDefinition, { ...syncTask('bad', 'nope'), synchronizationTaskPostProcessingId: 'nope', executionPlan: { scheduleType: 'CRON', cron: 'x', timeZone: 'Nowhere/Land' } });
    expect(res.status).toBe(400);
    expect(errorPaths(res).sort()).toEqual(['applicationId', 'executionPlan.cron', 'executionPlan.timeZone', 'synchronizationTaskPostProcessingId']);
  });

  it('reports schema problems and cross-field problems together', async () => {
    const body = appWithOsd(
      (o) => {
        o.colour = 'red';
        o.correlationDefinition.customCorrelationStrategyDefinition = { computeRule: script('return [];') };
      },
      (a) => (a.connectorId = 'nope'),
    );
    const res = await post(api, tenant, PATHS.application, { ...body, size: 'XL' });
    expect(res.status).toBe(400);
    expect(errorPaths(res).sort()).toEqual(['connectorId', `${OSD}[0].colour`, `${OSD}[0].correlationDefinition`, 'size'].sort());
    expect((await api.req('GET', conf(tenant, PATHS.application, 'bad'))).status).toBe(404);
  });

  it('a connector type matching no option still reports the other problems of the body', async () => {
    const res = await post(api, tenant, PATHS.connectorDefinition, { id: 'bad id', connectorType: 'SQL', colour: 'red', connectorProperties: 'x', retryPolicy: { maxAttempts: 0 } });
    expect(res.status).toBe(400);
    expect(errorPaths(res).sort()).toEqual(['colour', 'connectorProperties', 'connectorType', 'id', 'name', 'retryPolicy.maxAttempts']);
    expect(res.json.properties.errors.find((e: Json) => e.path === 'connectorType').reason).toMatch(/CSV.*LDAP/);
  });

  it('a mistyped property is reported once, not again by a rule that reads it', async () => {
    const res = await post(api, tenant, PATHS.synchronizationTaskDefinition, { ...syncTask('bad2', 'nope'), executionPlan: { scheduleType: 'CRON', cron: 42 } });
    expect(res.status).toBe(400);
    expect(errorPaths(res).sort()).toEqual(['applicationId', 'executionPlan.cron']);
  });

  it('a PUT is validated like a POST and leaves the stored resource unchanged', async () => {
    const before = (await api.req('GET', conf(tenant, PATHS.application, 'hr'))).json;
    const res = await api.req('PUT', conf(tenant, PATHS.application, 'hr'), appWithOsd((o) => (o.correlationDefinition = {}), (a) => (a.id = 'hr')));
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual([`${OSD}[0].correlationDefinition`]);
    expect((await api.req('GET', conf(tenant, PATHS.application, 'hr'))).json).toEqual(before);
  });
});
