#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager and kube-scheduler 1.20.2 from Debian bookworm's
# `kubernetes` source package (the only Kubernetes server source reachable here: it ships vendor/, so
# the build needs no Go module proxy) and caches them. Recipe: shared/reference/environment-facts.md Q3.
#
#   AMBIENT_KUBE_CACHE  where the binaries go (default ~/.cache/ambient/kube-1.20.2/bin)
#
# Idempotent: when the cache holds the three binaries and the stamp, it only makes sure etcd is
# installed and exits. A flock serialises concurrent callers (two test files starting at once build
# once; the second waits, then finds the cache). A cold build takes about 7 minutes on 2 cores.
set -euo pipefail

KUBE_VERSION=1.20.2
CACHE_DIR="${AMBIENT_KUBE_CACHE:-$HOME/.cache/ambient/kube-$KUBE_VERSION/bin}"
STAMP="$CACHE_DIR/.built"
# Bump when the recipe changes so old caches are rebuilt.
STAMP_CONTENT="kubernetes $KUBE_VERSION debian-bookworm reflect2-1.0.2 go1.19 recipe-1"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler)
GO_BIN=/usr/lib/go-1.19/bin

log() { printf '[build-kube %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cache_complete() {
  [[ -f "$STAMP" && "$(cat "$STAMP")" == "$STAMP_CONTENT" ]] || return 1
  local binary
  for binary in "${BINARIES[@]}"; do [[ -x "$CACHE_DIR/$binary" ]] || return 1; done
}

apt_install() {
  # Installs only what is missing; refreshes the package lists once if the first attempt fails.
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]]; then
    log "missing Debian packages (${missing[*]}); run as root or install them first"
    exit 1
  fi
  log "apt-get install ${missing[*]}"
  # Lock timeout: another process may be using apt right now.
  local apt=(apt-get -o DPkg::Lock::Timeout=600 -y -q)
  if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends "${missing[@]}" >&2; then
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" update >&2
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends "${missing[@]}" >&2
  fi
}

# etcd is needed at run time even when the binaries are cached.
if cache_complete; then
  command -v etcd >/dev/null || apt_install etcd-server
  exit 0
fi

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/../build.lock"
log "waiting for the build lock $CACHE_DIR/../build.lock"
flock 9
if cache_complete; then
  log "another process built the binaries meanwhile"
  command -v etcd >/dev/null || apt_install etcd-server
  exit 0
fi

started_seconds=$SECONDS
apt_install golang-1.19-go etcd-server rsync make

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ambient-kube-build.XXXXXX")"
trap 'rm -rf "$WORK_DIR"' EXIT
cd "$WORK_DIR"

# A private apt configuration (own sources list, package lists and cache) so fetching the source
# package never changes the system's sources or lists.
mkdir -p apt/lists/partial apt/cache/archives/partial apt/sources.list.d
cat >apt/sources.list <<SOURCES
deb http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm main
SOURCES
cat >apt/apt.conf <<CONF
Dir::Etc::sourcelist "$WORK_DIR/apt/sources.list";
Dir::Etc::sourceparts "$WORK_DIR/apt/sources.list.d";
Dir::State::Lists "$WORK_DIR/apt/lists";
Dir::Cache "$WORK_DIR/apt/cache";
APT::Sandbox::User "root";
CONF
export APT_CONFIG="$WORK_DIR/apt/apt.conf"
log "fetching package lists (private apt config)"
apt-get -q update >&2
log "downloading the kubernetes source package and reflect2 1.0.2"
apt-get -q source --download-only kubernetes >&2
apt-get -q download golang-github-modern-go-reflect2-dev >&2
unset APT_CONFIG

orig_tarball=$(ls kubernetes_*.orig.tar.gz | head -n 1)
log "unpacking $orig_tarball"
tar xzf "$orig_tarball"
source_dir=$(find . -maxdepth 1 -type d -name "kubernetes-$KUBE_VERSION*" | head -n 1)
[[ -n "$source_dir" && -d "$source_dir/vendor" ]] || { log "no source tree with vendor/ in $orig_tarball"; exit 1; }

# reflect2 1.0.1 (vendored) crashes with Go >= 1.18 on the first custom-resource write.
dpkg-deb -x golang-github-modern-go-reflect2-dev_*.deb reflect2
rm -rf "$source_dir/vendor/github.com/modern-go/reflect2"
cp -r reflect2/usr/share/gocode/src/github.com/modern-go/reflect2 "$source_dir/vendor/github.com/modern-go/"
rm -f "$source_dir/vendor/github.com/modern-go/reflect2/go.mod" "$source_dir/vendor/github.com/modern-go/reflect2/go.sum"

log "building ${BINARIES[*]} (about 6-7 minutes on 2 cores)"
(
  cd "$source_dir"
  PATH="$GO_BIN:$PATH" GOPROXY=off GOCACHE="$WORK_DIR/go-cache" \
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler" >&2
)

# Stage next to the cache, then rename: readers never see a half-copied binary.
staging="$(mktemp -d "$CACHE_DIR/../staging.XXXXXX")"
for binary in "${BINARIES[@]}"; do
  cp "$source_dir/_output/bin/$binary" "$staging/$binary"
  chmod 0755 "$staging/$binary"
done
for binary in "${BINARIES[@]}"; do mv -f "$staging/$binary" "$CACHE_DIR/$binary"; done
rmdir "$staging"
printf '%s' "$STAMP_CONTENT" >"$STAMP.tmp" && mv -f "$STAMP.tmp" "$STAMP"
log "done in $((SECONDS - started_seconds)) s; binaries in $CACHE_DIR"
