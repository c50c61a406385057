# bash completion for vmoodle-apply(1)                                  -*- shell-script -*-
#
# Installed as /usr/share/bash-completion/completions/vmoodle-apply, where bash-completion
# loads it on first use; without bash-completion, `source` it from ~/.bashrc. It needs no
# helper from bash-completion.
#
# The commands and options below must match `vmoodle-apply [COMMAND] --help`:
# scripts/check-cli-docs.sh (ctest: cli_docs) fails when they drift apart.

# Completes directories and the files ending in one of the given extensions.
_vmoodle_apply_files() {
  local cur=$1 ext
  shift
  compopt -o filenames 2>/dev/null
  mapfile -t COMPREPLY < <(compgen -d -- "$cur")
  if (($# == 0)); then
    mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
    return
  fi
  for ext in "$@"; do
    mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -X "!*.${ext}" -- "$cur")
  done
}

_vmoodle_apply() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local prev=
  if ((COMP_CWORD > 0)); then
    prev=${COMP_WORDS[COMP_CWORD - 1]}
  fi
  # `--format=js`: bash splits at `=` (COMP_WORDBREAKS), giving `--format`, `=`, `js`.
  if [[ $cur == = ]]; then
    cur=
  elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
    prev=${COMP_WORDS[COMP_CWORD - 2]}
  fi
  COMPREPLY=()

  local commands='validate plan apply show drift import'
  local command='' i
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [[ " $commands " == *" ${COMP_WORDS[i]} "* ]]; then
      command=${COMP_WORDS[i]}
      break
    fi
  done

  # Values of the options that take one.
  case $prev in
    -f | --file)
      _vmoodle_apply_files "$cur" yaml yml
      return
      ;;
    --out | --from-csv)
      _vmoodle_apply_files "$cur"
      return
      ;;
    --format)
      mapfile -t COMPREPLY < <(compgen -W 'text json markdown' -- "$cur")
      return
      ;;
    --host | --password-env | --replace | --rev | --base | --max-destroy | --max-bytes | --lock-timeout | --parallelism)
      # A vhostname, snapshot.NAME, a variable name or a number: nothing sensible to offer.
      return
      ;;
  esac

  local manifest='-f --file'
  local selection='--host --format --max-bytes --replace --rev --base --max-destroy'
  local options
  case $command in
    '') options='-h --help --version' ;;
    validate) options="-h --help $manifest" ;;
    plan) options="-h --help $manifest $selection --detailed-exitcode --out" ;;
    apply)
      options="-h --help $manifest $selection --skip-stale --allow-dirty --auto-approve"
      options+=' --lock-timeout'
      options+=' --parallelism'
      ;;
    show) options='-h --help --format' ;;
    drift) options="-h --help $manifest $selection" ;;
    import) options="-h --help $manifest --from-registry --from-csv --password-env" ;;
  esac

  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
  elif [[ -z $command ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
  elif [[ $command == apply || $command == show ]]; then
    # The saved plan file (`plan --out FILE`).
    _vmoodle_apply_files "$cur"
  fi
}

complete -F _vmoodle_apply vmoodle-apply
