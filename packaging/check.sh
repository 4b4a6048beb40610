#!/usr/bin/env bash
# Host-side checks of the built package (no guest): lintian, "systemd-analyze verify" of the unit as
# installed, and the "systemd-analyze security" exposure score.
# Usage: packaging/check.sh [DEB]   (default: the newest packaging/target/edge-nfsd_*_all.deb)
# Needs the Debian packages lintian and systemd (for systemd-analyze). Exit 1 on a lintian error or
# a verify failure.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2010  # newest first, our own version strings only
DEB=${1:-$(ls -t "$HERE"/target/edge-nfsd_*_all.deb 2>/dev/null | grep -v '+it2_' | head -1)}
[[ -n "$DEB" && -f "$DEB" ]] || { echo "no package: run 'mvn -B package' first" >&2; exit 2; }
for t in lintian systemd-analyze dpkg-deb; do
  command -v "$t" >/dev/null || { echo "missing '$t' (apt-get install -y lintian systemd)" >&2; exit 2; }
done
FAIL=0
echo "== $(basename "$DEB")"

echo "== lintian --display-info --pedantic"
# lintian warns when run as root; that line is not about the package.
out=$(lintian --display-info --pedantic "$DEB" 2>&1 | grep -v 'running with root privileges')
echo "${out:-(no tags)}"
if grep -q '^E:' <<<"$out"; then echo "lintian: ERRORS"; FAIL=1; else echo "lintian: no errors"; fi

echo "== licence notices cover the jar"
# Every class in the jar must lie under a package named in a "Files: edge-nfsd.jar: PREFIX/*" stanza of
# the copyright file (io/edgenfsd is the project itself).
TMPC=$(mktemp -d)
dpkg-deb --fsys-tarfile "$DEB" | tar -x -C "$TMPC" ./usr/share/edge-nfsd/edge-nfsd.jar ./usr/share/doc/edge-nfsd/copyright
prefixes=$(sed -n 's|^Files: edge-nfsd.jar: \(.*\)/\*$|\1/|p' "$TMPC/usr/share/doc/edge-nfsd/copyright"; echo io/edgenfsd/)
uncovered=$(unzip -Z1 "$TMPC/usr/share/edge-nfsd/edge-nfsd.jar" | grep '\.class$' | grep -v '^META-INF/' \
  | grep -v -F "$prefixes" | sed 's|/[^/]*$||' | sort -u)
# DEP-5 (lintian checks it only for source packages): every licence named in a Files paragraph has a
# stand-alone License paragraph with its text or a pointer to /usr/share/common-licenses.
unlicensed=$(awk '
  /^$/ { files = 0 }
  /^Files:/ { files = 1 }
  /^License:/ {
    name = substr($0, 10)
    if (files) { gsub(/,/, " ", name); n = split(name, w, / +/); for (i = 1; i <= n; i++) if (w[i] != "and" && w[i] != "or" && w[i] != "") used[w[i]] = 1 }
    else { getline body; if (body ~ /^ /) defined[name] = 1 }
  }
  END { for (u in used) if (!(u in defined)) print u }' "$TMPC/usr/share/doc/edge-nfsd/copyright")
rm -rf "$TMPC"
if [[ -n "$uncovered" ]]; then echo "classes with no licence notice, in: $uncovered"; FAIL=1; else echo "notices: ok"; fi
if [[ -n "$unlicensed" ]]; then echo "licences with no License paragraph: $unlicensed"; FAIL=1; else echo "licence paragraphs: ok"; fi

# The unit as the package installs it, beside this host's own units (for the targets it names).
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
dpkg-deb -x "$DEB" "$ROOT"
mkdir -p "$ROOT/lib/systemd/system"
cp -an /lib/systemd/system/. "$ROOT/lib/systemd/system/" 2>/dev/null
echo "== systemd-analyze verify (--man=no: man pages are checked in the guest test, where the package is installed)"
if systemd-analyze verify --man=no --root="$ROOT" /lib/systemd/system/edge-nfsd.service; then
  echo "verify: ok"
else
  echo "verify: FAILED"; FAIL=1
fi
echo "== systemd-analyze security"
systemd-analyze security --offline=true --root="$ROOT" --no-pager edge-nfsd.service 2>/dev/null | grep -E '^(✗|→)'
exit $FAIL
