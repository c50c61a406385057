#!/usr/bin/env bash
# Builds the Debian package of vmoodle-apply and checks it without installing it onto this
# system: the .deb is unpacked with `dpkg -x` into a temporary root, and from there
# - its control fields are right and its Depends name the package of every library the
#   binary links (so that `dpkg -i` on a clean Debian 12 pulls in what it needs);
# - it holds the binary, the schemas, the man page, the bash completion, the docs and the
#   examples, and nothing outside /usr;
# - the binary runs `--version` (the package's version, and a commit) and `--help`;
# - `man` renders the man page without warnings, also found through MANPATH as `man vmoodle-apply`;
# - the completion is valid bash, turns `vmoodle-apply pl<TAB>` into `plan`, and offers only
#   YAML files and directories after `-f`;
# - scripts/check-cli-docs.sh passes on the unpacked binary, man page and completion.
#
#   scripts/check-package.sh [--no-build] [BUILD_DIR]       (default BUILD_DIR: build)
#
# Without --no-build it configures BUILD_DIR (when needed) and builds the binary and the man
# page. The package is made in a temporary directory and removed afterwards; `cmake --build
# build --target package` makes the one to keep. Run by ctest as the test `package`
# (cmake/PackageTest.cmake).
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly source_dir
build=$source_dir/build
build_first=1
while (($#)); do
  case $1 in
    --no-build) build_first= ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "usage: $0 [--no-build] [BUILD_DIR]" >&2
      exit 2
      ;;
    *) build=$(realpath -m "$1") ;;
  esac
  shift
done

die() {
  echo "check-package: error: $*" >&2
  exit 1
}
failures=0
checks=0
check() { # DESCRIPTION COMMAND...: runs COMMAND, counts a failure with DESCRIPTION
  local description=$1
  shift
  checks=$((checks + 1))
  if ! "$@"; then
    echo "FAIL: $description" >&2
    failures=$((failures + 1))
  fi
}

for tool in cpack dpkg-deb dpkg; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (run scripts/install-deps.sh)"
done

if [[ -n $build_first ]]; then
  if [[ ! -f $build/CMakeCache.txt ]]; then
    # Release, like scripts/test.sh and scripts/quickstart.sh, which share build/.
    cmake -S "$source_dir" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
  fi
  # Only what the package holds: the tests are not needed here.
  cmake --build "$build" --target vmoodle-apply vmoodle_manpage
fi
[[ -f $build/CPackConfig.cmake ]] ||
  die "$build has no CPackConfig.cmake: configure it first (cmake -S . -B $build)"
[[ -x $build/vmoodle-apply ]] || die "$build/vmoodle-apply is not built (cmake --build $build)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- build the package --------------------------------------------------------------------
echo "==> cpack in $work/out"
if ! cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  die "cpack failed"
fi
debs=("$work"/out/*.deb)
if ((${#debs[@]} != 1)) || [[ ! -f ${debs[0]} ]]; then
  die "cpack made no single .deb: ${debs[*]}"
fi
deb=${debs[0]}
echo "    $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

version=$(sed -nE 's/^set\(CPACK_PACKAGE_VERSION "([^"]+)"\)/\1/p' "$build/CPackConfig.cmake")
[[ -n $version ]] || die "no CPACK_PACKAGE_VERSION in $build/CPackConfig.cmake"

# --- control fields -----------------------------------------------------------------------
field() { dpkg-deb --field "$deb" "$1"; }
check "Package is vmoodle-apply (is: $(field Package))" test "$(field Package)" = vmoodle-apply
check "Version is $version (is: $(field Version))" test "$(field Version)" = "$version"
check "Architecture is $(dpkg --print-architecture) (is: $(field Architecture))" \
  test "$(field Architecture)" = "$(dpkg --print-architecture)"
check "Maintainer is set" test -n "$(field Maintainer)"
check "Description is set" test -n "$(field Description)"
depends=$(field Depends)
echo "    Depends: $depends"

# The Debian package that owns a library, whichever of /lib and /usr/lib it is listed under.
package_of() {
  local path candidates=() owner
  path=$(readlink -f "$1")
  candidates=("$1" "$path" "${path#/usr}" "/usr${path}")
  for candidate in "${candidates[@]}"; do
    if owner=$(dpkg -S "$candidate" 2>/dev/null); then
      echo "${owner%%:*}"
      return 0
    fi
  done
  return 1
}
depends_on() { # PACKAGE: one of the packages of Depends (alternatives included)
  tr ',|' '\n' <<<"$depends" | sed -E 's/\(.*//; s/[[:space:]]//g' | grep -qxF -- "$1"
}
# The libraries the binary links itself (NEEDED); theirs come with their own packages.
needed=$(readelf --dynamic "$build/vmoodle-apply" | sed -nE 's/.*\(NEEDED\).*\[(.*)\]/\1/p' |
  paste -sd' ')
[[ -n $needed ]] || die "readelf finds no NEEDED library in $build/vmoodle-apply"
libraries=$(ldd "$build/vmoodle-apply" |
  awk -v needed=" $needed " '$2 == "=>" && $3 ~ /^\// && index(needed, " " $1 " ") { print $3 }')
check "ldd finds every NEEDED library ($needed)" \
  test "$(wc -w <<<"$needed")" = "$(wc -w <<<"$libraries")"
for library in $libraries; do
  if owner=$(package_of "$library"); then
    check "Depends names $owner, which provides $(basename "$library")" depends_on "$owner"
  else
    check "$(basename "$library") ($library) belongs to a Debian package" false
  fi
done

# --- contents -----------------------------------------------------------------------------
root=$work/root
dpkg -x "$deb" "$root"
outside=$(dpkg-deb --contents "$deb" | awk '{ print $6 }' | grep -vE '^\./(usr(/.*)?)?$' || true)
check "every file is below /usr (not: $outside)" test -z "$outside"
for file in usr/bin/vmoodle-apply usr/share/vmoodle-apply/schemas/fleet.schema.json \
  usr/share/man/man1/vmoodle-apply.1.gz usr/share/bash-completion/completions/vmoodle-apply \
  usr/share/doc/vmoodle-apply/README.md usr/share/doc/vmoodle-apply/CHANGELOG.md \
  usr/share/doc/vmoodle-apply/docs/manifest.md usr/share/doc/vmoodle-apply/docs/cli.md \
  usr/share/doc/vmoodle-apply/examples/fleet.yaml; do
  check "the package holds /$file" test -f "$root/$file"
done
check "/usr/bin/vmoodle-apply is executable" test -x "$root/usr/bin/vmoodle-apply"
check "the schema is the one in schemas/" \
  cmp -s "$source_dir/schemas/fleet.schema.json" "$root/usr/share/vmoodle-apply/schemas/fleet.schema.json"
stray=$(find "$root" -name .run -o -name '*.md.in' -o -name vmoodle-apply.1.md)
check "no sandbox or build leftovers in the package (found: $stray)" test -z "$stray"

# --- the binary ---------------------------------------------------------------------------
binary=$root/usr/bin/vmoodle-apply
version_line=$("$binary" --version 2>&1) || true
echo "    --version: $version_line"
check "--version prints \"vmoodle-apply $version (commit ...)\"" \
  grep -qE "^vmoodle-apply ${version//./\\.} \(commit ([0-9a-f]{4,}|unknown)\)$" <<<"$version_line"
help_text=$("$binary" --help 2>&1) || help_text="(exit $?) $help_text"
for command in validate plan apply; do
  check "--help lists $command" grep -qE "^  $command " <<<"$help_text"
done

# --- the man page -------------------------------------------------------------------------
page=$root/usr/share/man/man1/vmoodle-apply.1.gz
if command -v man >/dev/null 2>&1; then
  MANWIDTH=80 MANPAGER=cat man --warnings -E UTF-8 -l "$page" >"$work/man.txt" 2>"$work/man.err" ||
    true
  check "man -l renders without warnings: $(head -3 "$work/man.err")" test ! -s "$work/man.err"
  check "the man page has NAME and SYNOPSIS" grep -qE '^SYNOPSIS' "$work/man.txt"
  check "the man page's title is VMOODLE-APPLY(1)" grep -qE '^VMOODLE-APPLY\(1\) ' "$work/man.txt"
  check "the man page's footer names vmoodle-apply $version" \
    grep -qE "^vmoodle-apply ${version//./\\.} " "$work/man.txt"
  found=$(MANPATH=$root/usr/share/man man -w vmoodle-apply 2>/dev/null || true)
  check "\`man vmoodle-apply\` finds the page through MANPATH (found: $found)" test "$found" = "$page"
else
  zcat "$page" | groff -t -man -Tutf8 -ww -z 2>"$work/man.err"
  check "groff renders the man page without warnings: $(head -3 "$work/man.err")" \
    test ! -s "$work/man.err"
fi

# --- the completion -----------------------------------------------------------------------
completion=$root/usr/share/bash-completion/completions/vmoodle-apply
check "the completion is valid bash" bash -n "$completion"
mkdir -p "$work/files/dir"
touch "$work/files/fleet.yaml" "$work/files/other.yml" "$work/files/notes.txt"
complete_words() { # WORD...: what the completion offers for the last word, sorted
  (cd "$work/files" && bash --norc --noprofile -c '
    source "$1" && shift
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _vmoodle_apply vmoodle-apply "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"' complete_words "$completion" "$@") | sort | paste -sd' '
}
got=$(complete_words vmoodle-apply pl)
check "\`vmoodle-apply pl<TAB>\` completes to plan (got: $got)" test "$got" = plan
got=$(complete_words vmoodle-apply plan --form)
check "\`vmoodle-apply plan --form<TAB>\` completes to --format (got: $got)" test "$got" = --format
got=$(complete_words vmoodle-apply plan -f '')
check "\`vmoodle-apply plan -f <TAB>\` offers YAML files and directories (got: $got)" \
  test "$got" = "dir fleet.yaml other.yml"
# bash splits `--format=j` at `=` (COMP_WORDBREAKS) into three words.
got=$(complete_words vmoodle-apply apply --format = j)
check "\`vmoodle-apply apply --format=j<TAB>\` completes to json (got: $got)" test "$got" = json

# --- drift between the CLI and its docs, as installed -------------------------------------
check "check-cli-docs.sh passes on the unpacked files" "$source_dir/scripts/check-cli-docs.sh" \
  --binary "$binary" --man "$page" --completion "$completion"

if ((failures > 0)); then
  echo "check-package: $failures of $checks checks failed" >&2
  exit 1
fi
echo "check-package: $checks checks passed for $(basename "$deb")"
