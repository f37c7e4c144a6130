#!/bin/sh
# Gives a building's gateway a broker user named after its site key (the ACL lets it publish under
# its own site only) with a random password, printed once. Reload the broker afterwards (SIGHUP).
#
#   add-gateway.sh CREDENTIALS_DIR SITE_KEY
#   docker compose run --rm --entrypoint sh mosquitto-credentials /add-gateway.sh /credentials <site-key>
#   docker compose kill -s SIGHUP mosquitto
set -eu

dir=${1:?usage: add-gateway.sh CREDENTIALS_DIR SITE_KEY}
site=${2:?usage: add-gateway.sh CREDENTIALS_DIR SITE_KEY}
BROKER_UID=${BROKER_UID:-1883}
case "$site" in
  *[!a-z0-9-]* | '') echo "a site key is [a-z0-9-]+" >&2; exit 2 ;;
esac
command -v openssl >/dev/null 2>&1 || apk add --no-cache openssl >/dev/null

password=$(openssl rand -hex 24)
mosquitto_passwd -b "$dir/passwd" "$site" "$password"
chmod 600 "$dir/passwd"
chown "$BROKER_UID:$BROKER_UID" "$dir/passwd" 2>/dev/null || true
echo "gateway user $site, password $password (shown once); it trusts $dir/ca.pem"
