import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { eventually } from './eventually';
import { freePort } from './mosquitto';

const ROOT = join(__dirname, '../..');

export interface SecureBroker {
  /** mqtts://127.0.0.1:{port} */
  url: string;
  /** The CA that signed the broker's certificate (what MQTT_CA_FILE names). */
  caFile: string;
  stop(): Promise<void>;
}

/**
 * A Mosquitto with the production configuration (deploy/mosquitto/mosquitto-secure.conf and acl):
 * TLS with a CA of its own, a password per user, the per-site ACL.
 */
export async function startSecureMosquitto(passwords: Record<string, string>): Promise<SecureBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'hallwatch-secure-broker-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Hallwatch test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, '');
  for (const [user, password] of Object.entries(passwords)) execFileSync('mosquitto_passwd', ['-b', passwd, user, password], { stdio: 'ignore' });
  const port = await freePort();
  const config = readFileSync(join(ROOT, 'deploy/mosquitto/mosquitto-secure.conf'), 'utf8')
    .replace(/^listener .*$/m, `listener ${port} 127.0.0.1`)
    .replace(/^cafile .*$/m, `cafile ${join(dir, 'ca.pem')}`)
    .replace(/^certfile .*$/m, `certfile ${join(dir, 'server.pem')}`)
    .replace(/^keyfile .*$/m, `keyfile ${join(dir, 'server.key')}`)
    .replace(/^password_file .*$/m, `password_file ${passwd}`)
    .replace(/^acl_file .*$/m, `acl_file ${join(ROOT, 'deploy/mosquitto/acl')}`)
    .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`);
  writeFileSync(join(dir, 'mosquitto.conf'), config);
  // Started as root, mosquitto drops to its own user: it must be able to read all this.
  chmodSync(dir, 0o777);
  for (const file of readdirSync(dir)) chmodSync(join(dir, file), 0o644);
  const broker: ChildProcess = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  const url = `mqtts://127.0.0.1:${port}`;
  const [user, password] = Object.entries(passwords)[0];
  await eventually(async () =>
    (await connectAsync(url, { ca: readFileSync(join(dir, 'ca.pem')), username: user, password, reconnectPeriod: 0, connectTimeout: 1000 })).endAsync(),
  );
  return {
    url,
    caFile: join(dir, 'ca.pem'),
    stop: async () => {
      broker.kill('SIGTERM');
      if (broker.exitCode === null) await new Promise((resolve) => broker.once('exit', resolve));
    },
  };
}
