#!/usr/bin/env bash
# Fails when the man page, the bash completion or docs/cli.md disagree with the commands and
# options that the CLI itself reports in `vmoodle-apply [COMMAND] --help`, so that none of
# them can drift when an option is added, renamed or removed.
#
#   scripts/check-cli-docs.sh --binary BIN --man PAGE --completion FILE [--cli-doc FILE]
#
# PAGE is the man page (roff, gzipped or not), as built or as installed. Checked:
# - man page: the sub-sections of COMMANDS are exactly the commands; the options listed under
#   each command (the terms of its option list) are exactly its options; OPTIONS lists exactly
#   the global options; every `--option` the page mentions anywhere exists;
# - completion: sourced in a clean bash, its function (the one `complete -p` names) offers
#   exactly the commands after `vmoodle-apply `, exactly each command's options after `-`, the
#   --format values the CLI accepts, and turns `vmoodle-apply pl` into `plan`;
# - docs/cli.md (when given): has a `## \`COMMAND\`` section per command and mentions each option.
# Run by ctest (test cli_docs, from cmake/PackageTest.cmake) and by scripts/check-package.sh.
set -euo pipefail

usage() {
  echo "usage: $0 --binary BIN --man PAGE --completion FILE [--cli-doc FILE]" >&2
  exit 2
}

binary='' man_page='' completion='' cli_doc=''
while (($#)); do
  case $1 in
    --binary) binary=${2:-} ;;
    --man) man_page=${2:-} ;;
    --completion) completion=${2:-} ;;
    --cli-doc) cli_doc=${2:-} ;;
    *) usage ;;
  esac
  shift 2 || usage
done
[[ -n $binary && -n $man_page && -n $completion ]] || usage
for file in "$binary" "$man_page" "$completion" ${cli_doc:+"$cli_doc"}; do
  [[ -e $file ]] || {
    echo "check-cli-docs: error: $file does not exist (build first: cmake --build build)" >&2
    exit 1
  }
done

# Absolute: the completion is sourced from another directory.
binary=$(realpath "$binary")
man_page=$(realpath "$man_page")
completion=$(realpath "$completion")

failures=0
checks=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
# compare WHAT EXPECTED ACTUAL: two newline-separated sets; names what is missing and extra.
compare() {
  local what=$1 expected actual missing extra
  expected=$(sort -u <<<"$2" | sed '/^$/d')
  actual=$(sort -u <<<"$3" | sed '/^$/d')
  checks=$((checks + 1))
  missing=$(comm -23 <(echo "$expected") <(echo "$actual") | paste -sd' ')
  extra=$(comm -13 <(echo "$expected") <(echo "$actual") | paste -sd' ')
  if [[ -n $missing ]]; then
    fail "$what: missing $missing (the CLI's --help has them)"
  fi
  if [[ -n $extra ]]; then
    fail "$what: has $extra, which the CLI's --help does not list"
  fi
}

# --- what the CLI says ------------------------------------------------------------------
# CLI11 help: a section title (`Options:`), then one entry per line indented by two spaces
# (`  -f,--file TEXT=fleet.yaml   Fleet manifest`); longer lines continue further indented.
help_section() { # HELP_TEXT SECTION -> the first word of each entry
  awk -v section="$2:" '
    /^[A-Za-z].*:$/ { inside = ($0 == section); next }
    inside && /^  [^ ]/ { print $1 }' <<<"$1"
}
help_options() { # HELP_TEXT -> one option per line (-f and --file separately)
  help_section "$1" Options | tr ',' '\n'
}

top_help=$("$binary" --help)
commands=$(help_section "$top_help" Subcommands)
top_options=$(help_options "$top_help")
[[ -n $commands ]] || {
  echo "check-cli-docs: error: no Subcommands in \`$binary --help\`:" >&2
  echo "$top_help" >&2
  exit 1
}
declare -A options_of format_values_of
all_options=$top_options
for command in $commands; do
  command_help=$("$binary" "$command" --help)
  options_of[$command]=$(help_options "$command_help")
  all_options+=$'\n'${options_of[$command]}
  # `--format ENUM:value in {json->1,text->0} OR {1,0}=0`: the names before `->`.
  format_values_of[$command]=$(grep -E '^  --format ' <<<"$command_help" |
    grep -oE '[{,][a-z]+->' | tr -d '{,>-' || true)
done

# --- the man page -----------------------------------------------------------------------
render_man() {
  if command -v man >/dev/null 2>&1; then
    MANWIDTH=200 MANPAGER=cat man --nh --nj -E ascii -l "$1"
  else
    zcat -f "$1" | groff -t -man -Tascii -P-cbou -rLL=200n
  fi
}
man_text=$(render_man "$man_page" 2>/dev/null)
[[ -n $man_text ]] || {
  echo "check-cli-docs: error: $man_page renders to nothing" >&2
  exit 1
}
option_tokens() { # TEXT -> the -x / --xyz words in it
  grep -oE '(^|[][ ,(|])--?[A-Za-z][A-Za-z0-9-]*' <<<"$1" | sed -E 's/^[][ ,(|]//' || true
}
# Section titles start in column 0, sub-sections (commands) are indented by 3, option terms
# by 7 (and their descriptions by 14).
man_terms() { # SECTION [SUBSECTION]
  awk -v section="$1" -v sub_section="${2:-}" '
    /^[A-Z][A-Z ]*$/ { in_section = ($0 == section); current = ""; next }
    in_section && /^   [^ ]/ { current = $1; next }
    # A term follows a blank line; a wrapped line of prose never does.
    in_section && current == sub_section && previous == "" && /^       -/ { print }
    { previous = $0 }' <<<"$man_text"
}
man_commands=$(awk '/^[A-Z][A-Z ]*$/ { inside = ($0 == "COMMANDS"); next }
  inside && /^   [^ ]/ { print $1 }' <<<"$man_text")
compare "man page: commands (sub-sections of COMMANDS)" "$commands" "$man_commands"
compare "man page: OPTIONS" "$top_options" "$(option_tokens "$(man_terms OPTIONS)")"
for command in $commands; do
  compare "man page: options of \`$command\`" "${options_of[$command]}" \
    "$(option_tokens "$(man_terms COMMANDS "$command")")"
done
mentioned=$(grep -oE '(^|[][ ,(|])--[A-Za-z][A-Za-z0-9-]*' <<<"$man_text" | sed -E 's/^[][ ,(|]//' | sort -u)
unknown=$(comm -23 <(echo "$mentioned") <(sort -u <<<"$all_options") | paste -sd' ')
checks=$((checks + 1))
if [[ -n $unknown ]]; then
  fail "man page: mentions $unknown, which no command has"
fi

# --- the bash completion ----------------------------------------------------------------
bash -n "$completion" || fail "completion: $completion is not valid bash"
checks=$((checks + 1))
# complete WORD... -> what the completion offers for the last word, one per line. Runs in a
# clean bash in an empty directory, so that no file name gets offered.
empty_dir=$(mktemp -d)
trap 'rm -rf "$empty_dir"' EXIT
complete_words() {
  # shellcheck disable=SC2016 # the script is for the inner bash, which expands it
  (cd "$empty_dir" && env -i PATH="$PATH" HOME="$empty_dir" bash --norc --noprofile -c '
    source "$1" || exit 1
    shift
    spec=$(complete -p vmoodle-apply 2>/dev/null) || { echo "no complete -F for vmoodle-apply" >&2; exit 1; }
    function=$(sed -nE "s/.*-F ([^ ]+).*/\\1/p" <<<"$spec")
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    "$function" vmoodle-apply "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"' complete_words "$completion" "$@")
}
compare "completion: \`vmoodle-apply <TAB>\`" "$commands" "$(complete_words vmoodle-apply '')"
compare "completion: \`vmoodle-apply -<TAB>\`" "$top_options" "$(complete_words vmoodle-apply -)"
compare "completion: \`vmoodle-apply pl<TAB>\`" plan "$(complete_words vmoodle-apply pl)"
for command in $commands; do
  compare "completion: \`vmoodle-apply $command -<TAB>\`" "${options_of[$command]}" \
    "$(complete_words vmoodle-apply "$command" -)"
  if [[ -n ${format_values_of[$command]} ]]; then
    compare "completion: \`vmoodle-apply $command --format <TAB>\`" \
      "${format_values_of[$command]}" "$(complete_words vmoodle-apply "$command" --format '')"
  fi
done

# --- docs/cli.md ------------------------------------------------------------------------
if [[ -n $cli_doc ]]; then
  for command in $commands; do
    checks=$((checks + 1))
    grep -qE "^## \`$command\`" "$cli_doc" ||
      fail "$cli_doc: no section \`## \`$command\`\` for the command $command"
  done
  while read -r option; do
    checks=$((checks + 1))
    grep -qE -- "(^|[^A-Za-z0-9-])$option([^A-Za-z0-9-]|\$)" "$cli_doc" ||
      fail "$cli_doc: option $option is not documented"
  done < <(sort -u <<<"$all_options" | sed '/^$/d')
fi

if ((failures > 0)); then
  echo "check-cli-docs: $failures of $checks checks failed" >&2
  exit 1
fi
echo "check-cli-docs: $checks checks passed ($(wc -w <<<"$commands") commands)"
