#!/bin/sh
# Installs the KAT Chart clinic server as a system service on Debian (root README, "Set up sync
# for your clinic"). Run from the app's folder, as root:
#
#   sudo server/deploy/install.sh [--https private NAME... | --https public NAME...]
#
#   --https private kat-server.lan 192.168.1.20   Caddy in front with its own certificate
#            authority, for an office network without a public name (each computer trusts the
#            authority's root once: /etc/kat-chart/clinic-root.crt)
#   --https public kat.example-clinic.org         Caddy in front with a certificate from Let's
#            Encrypt (the name must point at this machine, ports 80 and 443 reachable)
#
# What it sets up: the user kat-chart; the app in /opt/kat-chart; settings in
# /etc/kat-chart/server.env (kept when it exists); data in /var/lib/kat-chart; the service
# kat-chart-server (starts at boot, restarts on failure, logs to the journal); a daily backup
# into /var/backups/kat-chart (kat-chart-backup.timer). Run it again after updating the app's
# folder to update the server: settings and data stay.
#
# KAT_PREFIX=/some/folder installs the files under that folder only (no user, no services, no
# npm): the test suite checks the layout that way.
set -eu

src=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
prefix=${KAT_PREFIX:-}
app=$prefix/opt/kat-chart
etc=$prefix/etc/kat-chart
units=$prefix/etc/systemd/system
bin=$prefix/usr/local/bin
backups=$prefix/var/backups/kat-chart
https=
names=

die() {
  echo "install.sh: $*" >&2
  exit 1
}
say() { echo "== $*"; }
live() { [ -z "$prefix" ]; }

while [ $# -gt 0 ]; do
  case $1 in
  --https)
    https=${2:-}
    case $https in private | public) ;; *) die "--https needs private or public, then the server's names." ;; esac
    shift 2
    names=$*
    [ -n "$names" ] || die "--https $https needs the names (or addresses) clinic computers use for this machine."
    break
    ;;
  *) die "Unknown option $1 (see the top of this script)." ;;
  esac
done

if live; then
  [ "$(id -u)" = 0 ] || die "Run it as root: sudo $0 $*"
  [ -x /usr/bin/node ] || die "Node.js is missing. Install Node.js 20.19 or newer (root README)."
  version=$(/usr/bin/node -p 'process.versions.node')
  /usr/bin/node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)' ||
    die "Node.js $version is too old; version 20.19 or newer is needed (root README)."
  command -v npm >/dev/null || die "npm is missing: sudo apt install npm"
  if [ -n "$https" ]; then command -v caddy >/dev/null || die "Caddy is missing: sudo apt install caddy"; fi
  say "User kat-chart"
  getent passwd kat-chart >/dev/null ||
    useradd --system --user-group --home-dir /var/lib/kat-chart --no-create-home \
      --shell /usr/sbin/nologin --comment "KAT Chart clinic server" kat-chart
fi

say "The app in $app"
rm -rf "$app.new"
mkdir -p "$app.new"
for part in package.json package-lock.json README.md tsconfig.base.json tsconfig.node.json server shared; do
  cp -R "$src/$part" "$app.new/"
done
if live; then
  (cd "$app.new" && npm ci --omit=dev --no-audit --no-fund --loglevel=error) ||
    die "npm could not install the server's packages (above). Nothing was changed."
fi
chmod -R u=rwX,go=rX "$app.new"
if [ -d "$app" ]; then mv "$app" "$app.old"; fi
mv "$app.new" "$app"
rm -rf "$app.old"

say "Settings in $etc/server.env"
mkdir -p "$etc"
if [ ! -f "$etc/server.env" ]; then
  cp "$src/server/deploy/server.env.example" "$etc/server.env"
else
  echo "   (kept as it is)"
fi
chmod 0750 "$etc"
chmod 0640 "$etc/server.env"
if live; then chgrp kat-chart "$etc" "$etc/server.env"; fi

say "Service kat-chart-server and the daily backup"
mkdir -p "$units" "$bin" "$backups"
chmod 0700 "$backups"
for unit in kat-chart-server.service kat-chart-backup.service kat-chart-backup.timer; do
  install -m 0644 "$src/server/deploy/$unit" "$units/$unit"
done
ln -sf /opt/kat-chart/server/deploy/kat-chart-backup "$bin/kat-chart-backup"

if [ -n "$https" ]; then
  say "Caddy in front ($https: $names)"
  caddyfile=$prefix/etc/caddy/Caddyfile
  mkdir -p "$(dirname "$caddyfile")" "$units/caddy.service.d"
  if [ -f "$caddyfile" ] && ! grep -q 'KAT Chart' "$caddyfile"; then
    cp "$caddyfile" "$caddyfile.before-kat-chart"
  fi
  install -m 0644 "$src/server/deploy/Caddyfile.$https" "$caddyfile"
  # Caddy reads the names from here (Debian's caddy.service has no settings file of its own).
  printf 'KAT_SERVER_NAMES=%s\n' "$(echo "$names" | sed 's/ /, /g')" >"$etc/caddy.env"
  chmod 0644 "$etc/caddy.env"
  printf '[Service]\nEnvironmentFile=/etc/kat-chart/caddy.env\n' >"$units/caddy.service.d/kat-chart.conf"
fi

if ! live; then
  say "Installed under $prefix (no user, no services started)."
  exit 0
fi

say "Starting"
systemctl daemon-reload
runuser -u kat-chart -- sh -c "cd $app && set -a && . $etc/server.env && set +a && /usr/bin/node --import tsx server/main.ts --check" ||
  die "The settings in $etc/server.env are not usable (above). Fix them and run this again."
systemctl enable --now kat-chart-server.service kat-chart-backup.timer
systemctl restart kat-chart-server.service
root_cert=
if [ -n "$https" ]; then
  systemctl restart caddy.service
  if [ "$https" = private ]; then
    ca=/var/lib/caddy/.local/share/caddy/pki/authorities/local/root.crt
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ -f "$ca" ] && break; sleep 1; done
    [ -f "$ca" ] || die "Caddy made no certificate authority yet: journalctl -u caddy"
    install -m 0644 "$ca" "$etc/clinic-root.crt"
    root_cert=$(openssl x509 -in "$etc/clinic-root.crt" -noout -fingerprint -sha256 2>/dev/null | sed 's/.*=//')
  fi
fi

token=/var/lib/kat-chart/setup-token.txt
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do [ -f "$token" ] && break; sleep 1; done
echo
echo "The KAT Chart clinic server runs (systemctl status kat-chart-server; journalctl -u kat-chart-server)."
echo "Setup token for the clinic's first computer:  sudo cat $token"
if [ -n "$root_cert" ]; then
  echo "Clinic certificate for every computer:         $etc/clinic-root.crt"
  echo "  its fingerprint (compare on each computer):  $root_cert"
fi
[ -n "$https" ] && echo "Server address for the app:                    https://$(echo "$names" | cut -d' ' -f1)"
exit 0
