#!/bin/sh
# Install the Debian packages the portal needs, and nothing when they are
# all present already, so that every "make" target can call this cheaply.
set -eu

PKGS="kore mariadb-server mariadb-client libmariadb-dev libjansson-dev
libargon2-dev libssl-dev libxml2-dev libxmlsec1-dev xmlsec1
libcurl4-openssl-dev libgmime-3.0-dev libcmocka-dev zlib1g-dev pkg-config gcc make
python3-pytest python3-requests python3-lxml python3-xmlsec wrk nginx
chromium chromium-driver python3-selenium fonts-noto-cjk
galera-4 mariadb-backup rsync iproute2 openssl systemd"

# The pages' build (make: npm ci, sass, esbuild) needs Node.js and npm;
# a machine that has them from elsewhere keeps its own.
if ! command -v npm >/dev/null 2>&1; then
	PKGS="$PKGS nodejs npm"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
