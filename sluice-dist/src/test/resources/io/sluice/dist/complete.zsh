#!/usr/bin/env zsh
# The completions an interactive zsh offers for a command line, one a line:
#
#   zsh complete.zsh COMPLETION_SCRIPT LINE
#
# Types LINE and a TAB into a zsh of its own in a pseudo-terminal (zsh/zpty) that has sourced
# COMPLETION_SCRIPT, as a user's ~/.zshrc does. That zsh's compadd prints each match it adds, so
# what is captured is what zsh's completion system offered, not what a function left in a variable.
emulate -L zsh
zmodload zsh/zpty zsh/zselect || { print -u2 "this zsh lacks the zsh/zpty or zsh/zselect module"; exit 3 }
(( $# == 2 )) || { print -u2 "usage: zsh complete.zsh COMPLETION_SCRIPT LINE"; exit 2 }
script=$1 line=$2
setup=$(mktemp) || exit 3
trap 'rm -f $setup; zpty -d shell 2>/dev/null' EXIT
cat > $setup <<'SETUP'
PS1='' PS2='' RPS1=''
autoload -U compinit && compinit -u -D
# A TAB completes; Return never runs the line.
bindkey '^I' complete-word
bindkey '^M' undefined
bindkey '^J' undefined
zstyle ':completion:*' insert-tab false
_capture_begin() { print -r -- '<<begin>>' }
_capture_end() { print -r -- '<<end>>'; exit }
compprefuncs=(_capture_begin)
comppostfuncs=(_capture_end)
compadd() {
  # Calls that only ask for matches in an array (-O, -A, -D) add nothing: pass them on.
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "$@"
    return
  fi
  local -a __hits
  builtin compadd -A __hits "$@"
  local __hit
  for __hit in $__hits; do print -r -- "<<match>>$__hit"; done
  builtin compadd "$@"
}
SETUP
print -r -- "source ${(q)script}" >> $setup
print -r -- "print -r -- '<<'ready'>>'" >> $setup

# Reads the shell's output until it holds MARK, for at most 60 s.
read_until() {
  local mark=$1 chunk
  out=''
  local deadline=$(( SECONDS + 60 ))
  while (( SECONDS < deadline )); do
    if zpty -r -t shell chunk; then
      out+=$chunk
      [[ $out == *$mark* ]] && return 0
    else
      zselect -t 5
    fi
  done
  print -u2 -r -- "zsh did not print $mark in 60 s; its terminal showed:"
  print -u2 -r -- "${out//$'\r'/}"
  exit 4
}

zpty shell zsh -f -i
zpty -w shell "source ${(q)setup}"
read_until '<<ready>>'
zpty -w -n shell "$line"$'\t'
read_until '<<end>>'
for l in ${(f)out//$'\r'/}; do
  if [[ $l == '<<match>>'* ]]; then
    print -r -- ${l#'<<match>>'}
  fi
done
exit 0
