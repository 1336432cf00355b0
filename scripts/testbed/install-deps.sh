#!/usr/bin/env bash
# Installs on a fresh Debian bookworm machine everything the tests need: the Debian packages
# (registry, sshd, dockerd, docker-compose, umoci, busybox, jq, Chromium, ansible-core as the
# fleet tests' oracle), cosign 2.5 and the docker compose v2 plugin (taken from Debian trixie
# without touching the system's apt state, TESTBED.md).
# Idempotent: skips what is already there. Run as root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache="${PIC_TESTBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pic-store-testbed}"
mkdir -p "$cache"

need_pkgs=()
for pair in docker-registry:docker-registry sshd:openssh-server dockerd:docker.io \
  docker-compose:docker-compose umoci:umoci busybox:busybox-static jq:jq chromium:chromium \
  xvfb-run:xvfb flock:util-linux ip:iproute2 ssh-keygen:openssh-client \
  ansible-playbook:ansible-core; do
  bin=${pair%%:*}; pkg=${pair#*:}
  if ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$bin" ] && [ ! -x "/usr/bin/$bin" ]; then
    need_pkgs+=("$pkg")
  fi
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "testbed: installing Debian packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# python3-securesystemslib: the independent check of the signed-store publisher's signatures
# (scripts/testbed/tuf-verify.py); python3-nacl gives it Ed25519. Debian's own python3.
if ! /usr/bin/python3 -c 'import securesystemslib, nacl' >/dev/null 2>&1; then
  echo "testbed: installing python3-securesystemslib python3-nacl"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-securesystemslib python3-nacl >/dev/null
fi

# Packages from Debian trixie, extracted into the cache (never installed system-wide), with a
# private apt state whose mirror is the system's own (read from its sources, never written here).
fetch_trixie() { # PACKAGE DESTDIR
  d="$cache/apt-trixie"
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/debs"
  uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb"{for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//){print $i; exit}}' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || { echo "testbed: cannot find the system's Debian mirror in its apt sources" >&2; exit 1; }
  echo "deb $uri trixie main" > "$d/sources.list"
  a=(-o "Dir::Etc::SourceList=$d/sources.list" -o Dir::Etc::SourceParts=/dev/null -o APT::Sandbox::User=root
     -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache")
  [ -n "${trixie_updated:-}" ] || { apt-get "${a[@]}" update -qq; trixie_updated=1; }
  (cd "$d/debs" && rm -f "$1"_*.deb && apt-get "${a[@]}" download "$1" >/dev/null)
  rm -rf "$2"
  dpkg-deb -x "$d/debs/$1"_*.deb "$2"
}

# cosign 2.5 (the independent signer and reference verifier).
cosign_bin="$cache/cosign/usr/bin/cosign"
if [ ! -x "$cosign_bin" ]; then
  echo "testbed: fetching cosign from Debian trixie"
  fetch_trixie cosign "$cache/cosign"
fi

# docker compose v2 (2.26, the CLI plugin only): test cells offer it next to bookworm's v1.
compose_plugin="$cache/compose-v2/usr/libexec/docker/cli-plugins/docker-compose"
if [ ! -x "$compose_plugin" ]; then
  echo "testbed: fetching the docker compose v2 plugin from Debian trixie"
  fetch_trixie docker-compose "$cache/compose-v2"
fi
"$cosign_bin" version 2>/dev/null | grep -i '^GitVersion' || true
"$compose_plugin" version 2>/dev/null || true
echo "testbed: dependencies ready (cosign at $cosign_bin, compose v2 plugin at $compose_plugin)"
