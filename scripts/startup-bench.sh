#!/usr/bin/env bash
# Start-up time of the distribution's bin/sluice: wall and CPU seconds (user + system) of RUNS
# runs (default 10) of `sluice --help`, `sluice --version` and `sluice run --help` (which builds
# every command with picocli), next to `java -version` with the launcher's flags (the JVM's own
# floor). Prints each run's figures sorted by wall time, then a median line per command.
#
#   scripts/startup-bench.sh [RUNS]
#
# Measures the archive sluice-dist/target/sluice-*.tar.gz, unpacked into a temporary directory
# (build it with: mvn -o -pl sluice-dist -am package -DskipTests), or the installation named by
# SLUICE_HOME. Runs are interleaved so that a change of load on the machine hits all commands alike.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-10}"
case "$runs" in
  ''|*[!0-9]*|0) echo "startup-bench: RUNS must be a positive number, got '$runs'" >&2; exit 2 ;;
esac
[[ -x /usr/bin/time ]] || { echo "startup-bench: /usr/bin/time is missing (Debian: apt-get install time)" >&2; exit 2; }

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
if [[ -n "${SLUICE_HOME:-}" ]]; then
  home="$SLUICE_HOME"
else
  archives=("$root"/sluice-dist/target/sluice-*.tar.gz)
  if [[ ! -f "${archives[0]}" ]]; then
    echo "startup-bench: no archive in sluice-dist/target; build it with: mvn -o -pl sluice-dist -am package -DskipTests" >&2
    exit 2
  fi
  tar xzf "${archives[0]}" -C "$scratch"
  home="$(echo "$scratch"/sluice-*)"
fi
sluice="$home/bin/sluice"
[[ -x "$sluice" ]] || { echo "startup-bench: $sluice is not an executable: is SLUICE_HOME an unpacked distribution?" >&2; exit 2; }
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

names=("sluice --help" "sluice --version" "sluice run --help" "java -version")
commands=("$sluice --help" "$sluice --version" "$sluice run --help" "$java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -version")
echo "# $sluice, $runs runs each, load average at start: $(cut -d ' ' -f 1-3 /proc/loadavg)"
for ((i = 0; i < runs; i++)); do
  for c in "${!commands[@]}"; do
    # shellcheck disable=SC2086
    /usr/bin/time -a -o "$scratch/times-$c" -f "%e %U %S" ${commands[$c]} > /dev/null 2>&1
  done
done
echo "# load average at end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
for c in "${!commands[@]}"; do
  echo "== ${names[$c]}: wall s, user s, system s (sorted by wall)"
  sort -n "$scratch/times-$c" | tr '\n' ';' | sed 's/;$/\n/; s/;/; /g'
  # Median of wall and of CPU (user + system), each sorted on its own; even counts average the middle two.
  awk '{ print $1, $2 + $3 }' "$scratch/times-$c" > "$scratch/pairs-$c"
  wall=$(cut -d ' ' -f 1 "$scratch/pairs-$c" | sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }')
  cpu=$(cut -d ' ' -f 2 "$scratch/pairs-$c" | sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }')
  echo "median ${names[$c]}: wall ${wall} s, cpu ${cpu} s"
done
