import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../src/embedded/paths';
import { settingsSchema } from '../../src/settings';
import { SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';

interface Service {
  image?: string;
  build?: string;
  command?: string[] | string;
  environment?: Record<string, string | number>;
  ports?: string[];
  container_name?: string;
}

const root = projectRoot();
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const { services } = compose;

/** The production topology cannot be started here (no Docker engine): this keeps it true to what the code needs. */
describe('docker-compose.yml', () => {
  it('has every service of the production topology', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'mongo', 'openldap', 'temporal', 'temporal-db', 'temporal-setup', 'temporal-ui', 'worker']);
    expect(services['temporal-db']!.image).toMatch(/^postgres:/);
    expect(services.mongo!.command).toEqual(expect.arrayContaining(['--replSet']));
  });

  it.each(['api', 'worker'])('%s runs the built process with every setting it needs, each a real setting name', (name) => {
    const s = services[name]!;
    expect(s.build).toBe('.');
    expect(s.command).toEqual(['node', `dist/src/${name === 'api' ? 'server' : 'worker'}.js`]);
    const env = s.environment ?? {};
    for (const required of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'MONGODB_URI', 'DATA_DIR', 'LOG_LEVEL', 'SECRETS_KEY']) expect(env).toHaveProperty(required);
    for (const key of Object.keys(env)) expect(Object.keys(settingsSchema.shape)).toContain(key);
    expect(String(env.TEMPORAL_ADDRESS)).toBe('temporal:7233');
    expect(String(env.MONGODB_URI)).toMatch(/^mongodb:\/\/mongo:27017\/.*replicaSet=rs0/);
  });

  it('the API listens on all interfaces inside its container and publishes its port', () => {
    expect(services.api!.environment).toEqual(expect.objectContaining({ API_HOST: '0.0.0.0', API_PORT: 8080 }));
    expect(services.api!.ports).toEqual(['8080:8080']);
  });

  it('workers can be scaled: no fixed container name, no published port', () => {
    expect(services.worker!.container_name).toBeUndefined();
    expect(services.worker!.ports).toBeUndefined();
  });

  it('registers exactly the search attributes the runs carry', () => {
    const cmd = ([] as string[]).concat(services['temporal-setup']!.command ?? []).join(' ');
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) expect(cmd).toContain(`--name ${name} --type ${type}`);
  });

  it('builds from a Dockerfile that compiles the code and the workflow bundle', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npx tsc -p tsconfig\.build\.json/);
    expect(dockerfile).toMatch(/bundle-workflows\.js/);
    expect(existsSync(path.join(root, 'scripts', 'bundle-workflows.ts'))).toBe(true);
  });
});
