#!/usr/bin/env bash
# The engine benchmark on a disk's file system: each round in a fresh ext4 (with its journal, as
# most disks are formatted), made in an image file, mounted through a loop device and removed
# after the round. A file system that many files were just deleted from creates new ones far more
# slowly (ext4's inode allocator skips recently deleted inodes, see docs/benchmarks.md), so
# rounds in one directory would measure each other's cleanup; a fresh one per round does not.
#
#   sudo scripts/disk-bench.sh [ROUNDS] [BENCH OPTIONS...]
#
# ROUNDS (default 5) invocations of bin/sluice-bench --repeat 1 with BENCH OPTIONS (default:
# --tasks 100000 --workers 2 --shape chain,fanin,diamond --phase cold,limit --cpu); prints every
# measurement, then per shape the median of the cold runs, of the bare loop and of the rounds'
# cold ÷ loop ratios. The image goes in DISK_BENCH_DIR (default: sluice-bench/target), which must
# be on the disk to measure. Needs root (mount), mkfs.ext4 and losetup.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-5}"
case "$rounds" in
  ''|*[!0-9]*|0) echo "disk-bench: ROUNDS must be a positive number, got '$rounds'" >&2; exit 2 ;;
esac
shift || true
if [[ $# -eq 0 ]]; then
  set -- --tasks 100000 --workers 2 --shape chain,fanin,diamond --phase cold,limit --cpu
fi
[[ $(id -u) -eq 0 ]] || { echo "disk-bench: mounting a file system needs root" >&2; exit 2; }
command -v mkfs.ext4 >/dev/null || { echo "disk-bench: mkfs.ext4 is missing (Debian: apt-get install e2fsprogs)" >&2; exit 2; }
dir="${DISK_BENCH_DIR:-$root/sluice-bench/target}"
mkdir -p "$dir"
image="$dir/disk-bench.img"
mnt="$dir/disk-bench.mnt"
lines="$(mktemp)"
cleanup() {
  mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
  rm -rf "$image" "$mnt" "$lines"
}
trap cleanup EXIT
echo "# $rounds rounds of: bin/sluice-bench $* --repeat 1, each in a fresh ext4 in $image; load average at start: $(cut -d ' ' -f 1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  rm -f "$image"
  truncate -s 12G "$image"  # sparse: blocks are taken as files are written
  # One inode per 8 KiB: a round of three 100k-task shapes and their loops leaves ~600k files.
  mkfs.ext4 -q -F -i 8192 "$image"
  mkdir -p "$mnt"
  mount -o loop "$image" "$mnt"
  "$root/bin/sluice-bench" --dir "$mnt" "$@" --repeat 1 2>/dev/null | grep '^shape=' | sed "s/^/round=$r /" | tee -a "$lines"
  umount "$mnt"
done
awk '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  {
    delete f
    for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    key = f["round"] " " f["shape"]
    shapes[f["shape"]] = 1
    if (f["phase"] == "cold") { cold[key] = f["wall_s"]; colds[f["shape"]] = colds[f["shape"]] " " f["wall_s"] }
    if (f["phase"] == "limit") { loop[key] = f["wall_s"]; loops[f["shape"]] = loops[f["shape"]] " " f["wall_s"] }
  }
  END {
    for (key in cold) if (key in loop) { split(key, k, " "); ratios[k[2]] = ratios[k[2]] " " cold[key] / loop[key] }
    for (s in shapes) if (s in ratios)
      printf "median shape=%s rounds=%d cold_wall_s=%.3f limit_wall_s=%.3f over_limit=%.2f [%s ]\n",
        s, split(ratios[s], x, " "), median(colds[s]), median(loops[s]), median(ratios[s]), ratios[s]
  }' "$lines"
