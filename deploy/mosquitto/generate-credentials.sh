#!/bin/sh
# Generates what the secure broker (mosquitto-secure.conf) and its clients need, once: a CA, the
# broker's certificate signed by it, a random password per Hallwatch user and Mosquitto's password
# file. Nothing of it belongs in the repository.
#
#   generate-credentials.sh OUT_DIR [broker host name ...]
#
# docker-compose.yml runs it as its mosquitto-credentials step (into a volume). For Kubernetes, run
# it where openssl and mosquitto_passwd are installed (or in the eclipse-mosquitto image), then:
#   kubectl create secret generic hallwatch-mosquitto --from-file=ca.pem=OUT/ca.pem \
#     --from-file=server.pem=OUT/server.pem --from-file=server.key=OUT/server.key --from-file=passwd=OUT/passwd
#   kubectl create secret generic hallwatch-mqtt-client --from-file=ca.pem=OUT/ca.pem \
#     --from-file=hallwatch-ingest.password=OUT/hallwatch-ingest.password
# Gateways: one user per site key (the ACL lets it publish under its own site only), added with
#   mosquitto_passwd OUT/passwd <site-key>
# Ownership: BROKER_UID (1883, the image's mosquitto user) owns the broker's key and password file,
# CLIENT_UID (1000, Hallwatch's node user) the client passwords.
set -eu

out=${1:?usage: generate-credentials.sh OUT_DIR [broker host name ...]}
shift
hosts="mosquitto localhost $*"
BROKER_UID=${BROKER_UID:-1883}
CLIENT_UID=${CLIENT_UID:-1000}
USERS=${USERS:-hallwatch-ingest hallwatch-simulator}
DAYS=${DAYS:-825}

mkdir -p "$out"
if [ -s "$out/passwd" ] && [ -s "$out/server.pem" ]; then
  echo "broker credentials already in $out: kept"
  exit 0
fi
command -v openssl >/dev/null 2>&1 || apk add --no-cache openssl >/dev/null

umask 077
san="IP:127.0.0.1"
for host in $hosts; do san="$san,DNS:$host"; done
openssl req -x509 -newkey rsa:3072 -nodes -sha256 -days "$DAYS" -subj "/CN=Hallwatch broker CA" \
  -keyout "$out/ca.key" -out "$out/ca.pem" 2>/dev/null
openssl req -newkey rsa:3072 -nodes -sha256 -subj "/CN=mosquitto" -keyout "$out/server.key" -out "$out/server.csr" 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" > "$out/server.ext"
openssl x509 -req -sha256 -days "$DAYS" -in "$out/server.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" -CAcreateserial \
  -extfile "$out/server.ext" -out "$out/server.pem" 2>/dev/null
rm -f "$out/server.csr" "$out/server.ext" "$out/ca.srl"

: > "$out/passwd"
for user in $USERS; do
  openssl rand -hex 24 > "$out/$user.password"
  mosquitto_passwd -b "$out/passwd" "$user" "$(cat "$out/$user.password")"
  chown "$CLIENT_UID:$CLIENT_UID" "$out/$user.password" 2>/dev/null || true
done

chmod 644 "$out/ca.pem" "$out/server.pem"
chmod 600 "$out/ca.key" "$out/server.key" "$out/passwd"
chown "$BROKER_UID:$BROKER_UID" "$out/server.key" "$out/passwd" 2>/dev/null || true
echo "broker credentials written to $out (CA, server certificate for $hosts, passwords for $USERS)"
