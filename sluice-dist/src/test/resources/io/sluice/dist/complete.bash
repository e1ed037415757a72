#!/usr/bin/env bash
# The completions bash offers for a command line, one a line:
#
#   bash complete.bash COMPLETION_SCRIPT LINE
#
# Sources COMPLETION_SCRIPT as a user's ~/.bashrc does, then calls the function it registered for
# sluice (complete -p sluice) the way readline does on a TAB at the end of LINE.
set -euo pipefail
(( $# == 2 )) || { echo "usage: bash complete.bash COMPLETION_SCRIPT LINE" >&2; exit 2; }
# shellcheck disable=SC1090
source "$1"
# compopt changes how readline shows the matches; outside readline it only complains.
compopt() { :; }
COMP_LINE=$2
COMP_POINT=${#COMP_LINE}
read -r -a COMP_WORDS <<< "$COMP_LINE"
if [[ "$COMP_LINE" == *" " ]]; then
  COMP_WORDS+=("")
fi
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
function=$(complete -p sluice | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
[[ -n "$function" ]] || { echo "the completion script registers no function for sluice: $(complete -p sluice)" >&2; exit 3; }
COMPREPLY=()
set +eu
"$function" sluice "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
set -eu
if ((${#COMPREPLY[@]})); then
  printf '%s\n' "${COMPREPLY[@]}"
fi
