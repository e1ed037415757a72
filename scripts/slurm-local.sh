#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the Slurm backend's tests and benchmark.
#
#   sudo scripts/slurm-local.sh up       install (Debian packages), configure, start; idempotent
#   sudo scripts/slurm-local.sh down     stop the daemons that `up` started, nothing else
#   scripts/slurm-local.sh status        what runs, and whether a job can be scheduled
#
# Everything binds to loopback and needs neither systemd nor cgroups, so it works in a container
# or a CI machine. The node has two partitions standing for hardware tiers: `small` (short jobs,
# little memory) and `large`, and one fake GPU so that GPU tiers are schedulable.
set -euo pipefail

readonly CONF_DIR=/etc/slurm
readonly LOG_DIR=/var/log/slurm
readonly CTLD_STATE=/var/lib/slurm/slurmctld
readonly SLURMD_SPOOL=/var/lib/slurm/slurmd
readonly MUNGE_PID=/run/munge/munged.pid
readonly CTLD_PID=/run/slurmctld.pid
readonly SLURMD_PID=/run/slurmd.pid
# Which daemons `up` started, so that `down` stops those and never one it found running.
readonly STARTED_DIR=/run/sluice-slurm-local
readonly NODE=localhost

started_at=$SECONDS

say() { echo "[slurm-local +$((SECONDS - started_at))s] $*"; }
die() { echo "[slurm-local] error: $*" >&2; exit 1; }
alive() { [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
need_root() { [[ $(id -u) == 0 ]] || die "'$1' must run as root (sudo $0 $1)"; }

# --- up ------------------------------------------------------------------------------------

install_packages() {
  local missing=() pkg
  for pkg in slurm-wlm munge; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [[ ${#missing[@]} == 0 ]] && return
  say "installing ${missing[*]}"
  local apt=(apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}")
  if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/tmp/slurm-local-apt.log 2>&1; then
    # A fresh machine (or container) often has no package lists yet.
    say "install failed; updating package lists and trying again"
    apt-get -o DPkg::Lock::Timeout=900 update -q >>/tmp/slurm-local-apt.log 2>&1 \
      || { tail -20 /tmp/slurm-local-apt.log; die "apt-get update failed (log: /tmp/slurm-local-apt.log)"; }
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" >>/tmp/slurm-local-apt.log 2>&1 \
      || { tail -20 /tmp/slurm-local-apt.log; die "cannot install ${missing[*]} (log: /tmp/slurm-local-apt.log)"; }
  fi
}

# NoInAddrAny makes the daemons bind to the address `hostname` resolves to; it must be loopback
# or they would listen on the network.
check_hostname_is_loopback() {
  local name address
  name=$(hostname)
  address=$(getent ahostsv4 "$name" | awk 'NR == 1 { print $1 }')
  if [[ $address != 127.* ]]; then
    say "$name resolves to '${address:-nothing}': adding '127.0.0.1 $name' to /etc/hosts"
    echo "127.0.0.1 $name" >>/etc/hosts
  fi
}

started_now=0
mark_started() {
  mkdir -p "$STARTED_DIR" && touch "$STARTED_DIR/$1"
  started_now=1
}

start_munge() {
  if [[ ! -s /etc/munge/munge.key ]]; then
    say "creating the munge key"
    mungekey --create --keyfile=/etc/munge/munge.key
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  if ! alive "$MUNGE_PID"; then
    say "starting munged"
    runuser -u munge -- /usr/sbin/munged --pid-file="$MUNGE_PID" || die "munged did not start (see /var/log/munge)"
    mark_started munged
  fi
  local _
  for _ in $(seq 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return
    sleep 0.2
  done
  die "munge does not answer: 'munge -n | unmunge' fails (see /var/log/munge/munged.log)"
}

# Prints slurm.conf for this machine.
slurm_conf() {
  local cpus memory
  cpus=$(nproc)
  memory=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
  [[ -n $memory ]] || die "'slurmd -C' did not report RealMemory"
  # Declaring all of it drains the node ("Low RealMemory") as soon as the kernel takes some.
  memory=$((memory * 90 / 100))
  cat <<EOF
# Written by scripts/slurm-local.sh: a single-node cluster on loopback. Edits are overwritten.
ClusterName=local
SlurmctldHost=$NODE
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# Bind every daemon to the address of \`hostname\` (loopback), not to 0.0.0.0.
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmctldPort=6817
SlurmdPort=6818
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
StateSaveLocation=$CTLD_STATE
SlurmdSpoolDir=$SLURMD_SPOOL
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroup plugins: works without systemd or cgroup delegation (containers, CI).
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# Without cgroups, memory is enforced by sampling each job's processes: a job above its --mem is
# killed (state FAILED, "Exceeded job memory limit" in its output) within 2 s.
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=2
JobAcctGatherParams=OverMemoryKill
MpiDefault=none
MailProg=/bin/true
SwitchType=switch/none
ReturnToService=2
SchedulerType=sched/backfill
# Start a batch job right after it is submitted (the default delay costs 2-3 s per job).
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=100
# Refuse at submission a job that exceeds its partition's limits, instead of keeping it pending forever.
EnforcePartLimits=ALL
# Finished jobs stay visible to squeue and scontrol for this many seconds.
MinJobAge=300
KillWait=5
InactiveLimit=0
SlurmdTimeout=300
# No slurmdbd, so no sacct: one line per finished job is kept in jobcomp.log instead.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$LOG_DIR/jobcomp.log
GresTypes=gpu
NodeName=$NODE NodeHostname=$NODE NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory Gres=gpu:fake:1 State=UNKNOWN
# Two hardware tiers over the same node.
PartitionName=small Nodes=$NODE Default=YES MaxTime=01:00:00 MaxMemPerNode=2048 State=UP
PartitionName=large Nodes=$NODE Default=NO MaxTime=INFINITE State=UP
EOF
}

# A GPU that is only a name: lets GPU tiers be scheduled on a machine without one.
gres_conf() {
  echo "NodeName=$NODE Name=gpu Type=fake File=/dev/null"
}

# Writes a config file only when its content differs; returns 0 when it changed.
install_config() {
  local file=$1 content=$2
  if [[ -f $file ]] && [[ $(cat "$file") == "$content" ]]; then
    return 1
  fi
  printf '%s\n' "$content" >"$file.new"
  chmod 0644 "$file.new"
  mv "$file.new" "$file"
  say "wrote $file"
}

configure() {
  install -d -m 0755 "$CONF_DIR" "$LOG_DIR" "$CTLD_STATE" "$SLURMD_SPOOL"
  local changed=0
  install_config "$CONF_DIR/slurm.conf" "$(slurm_conf)" && changed=1
  install_config "$CONF_DIR/gres.conf" "$(gres_conf)" && changed=1
  # Running daemons read their configuration only at start.
  if [[ $changed == 1 ]] && { alive "$CTLD_PID" || alive "$SLURMD_PID"; }; then
    say "configuration changed: stopping the running daemons to start them with it"
    stop_daemon slurmd "$SLURMD_PID"
    stop_daemon slurmctld "$CTLD_PID"
  fi
}

start_slurm_daemons() {
  if ! alive "$CTLD_PID"; then
    say "starting slurmctld"
    /usr/sbin/slurmctld || die "slurmctld did not start (see $LOG_DIR/slurmctld.log)"
    mark_started slurmctld
  fi
  local _
  for _ in $(seq 100); do
    scontrol ping 2>/dev/null | grep -q 'is UP' && break
    sleep 0.2
  done
  scontrol ping 2>/dev/null | grep -q 'is UP' || die "slurmctld does not answer 'scontrol ping' (see $LOG_DIR/slurmctld.log)"
  if ! alive "$SLURMD_PID"; then
    say "starting slurmd"
    /usr/sbin/slurmd -N "$NODE" || die "slurmd did not start (see $LOG_DIR/slurmd.log)"
    mark_started slurmd
  fi
}

node_state() { sinfo -h -n "$NODE" -o %T 2>/dev/null | head -1; }

wait_for_node() {
  local _ state
  for _ in $(seq 120); do
    state=$(node_state)
    case $state in
      idle* | mixed* | allocated*) return ;;
      # A node that was down when slurmctld last saw it stays down until told otherwise.
      drain* | down*) scontrol update nodename="$NODE" state=resume 2>/dev/null || true ;;
    esac
    sleep 0.5
  done
  die "node $NODE is '${state:-unknown}', not idle (see $LOG_DIR/slurmd.log and $LOG_DIR/slurmctld.log)"
}

# The scheduler starts a few seconds after slurmctld: only a finished job proves the cluster works.
# (`sbatch --wait` polls every 2-10 s, so squeue is polled here instead.)
probe_job() {
  local job state _
  job=$(sbatch --parsable -J slurm-local-probe -p small -o /dev/null --wrap true) \
    || die "sbatch refused the probe job"
  for _ in $(seq 300); do
    state=$(squeue -h -t all -j "$job" -o %T 2>/dev/null || true)
    case $state in
      COMPLETED) return ;;
      FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL) break ;;
    esac
    sleep 0.2
  done
  die "probe job $job ended as '${state:-not finished after 60 s}' (see $LOG_DIR/slurmd.log)"
}

up() {
  need_root up
  install_packages
  check_hostname_is_loopback
  start_munge
  configure
  start_slurm_daemons
  wait_for_node
  # A cluster that was already up is left as it is, without even a probe job in its queue.
  [[ $started_now == 1 ]] && probe_job
  say "cluster up: partitions $(sinfo -h -o %P | tr '\n' ' ')"
}

# --- down ----------------------------------------------------------------------------------

stop_daemon() {
  local name=$1 pid_file=$2 pid
  alive "$pid_file" || return 0
  pid=$(cat "$pid_file")
  say "stopping $name (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  say "$name (pid $pid) ignored SIGTERM for 10 s: killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

was_started() { [[ -e $STARTED_DIR/$1 ]]; }

down() {
  need_root down
  # Jobs still running would leave slurmstepd processes behind slurmd.
  if was_started slurmd && alive "$CTLD_PID"; then
    local jobs
    jobs=$(squeue -h -t PENDING,RUNNING,COMPLETING,SUSPENDED -o %i 2>/dev/null | tr '\n' ' ')
    if [[ -n ${jobs// /} ]]; then
      say "cancelling jobs $jobs"
      # shellcheck disable=SC2086
      scancel $jobs || true
      sleep 2
    fi
  fi
  local entry name pid_file
  for entry in slurmd:$SLURMD_PID slurmctld:$CTLD_PID munged:$MUNGE_PID; do
    name=${entry%%:*}
    pid_file=${entry#*:}
    if was_started "$name"; then
      stop_daemon "$name" "$pid_file"
      rm -f "$STARTED_DIR/$name"
    elif alive "$pid_file"; then
      say "leaving $name running: it was not started by this script"
    fi
  done
  say "down"
}

# --- status --------------------------------------------------------------------------------

status() {
  local entry name pid_file
  for entry in munged:$MUNGE_PID slurmctld:$CTLD_PID slurmd:$SLURMD_PID; do
    name=${entry%%:*}
    pid_file=${entry#*:}
    if alive "$pid_file"; then
      echo "$name: running (pid $(cat "$pid_file"))$(was_started "$name" && echo ', started by slurm-local.sh')"
    else
      echo "$name: not running"
    fi
  done
  if command -v scontrol >/dev/null && scontrol ping 2>/dev/null | grep -q 'is UP'; then
    echo "node $NODE: $(node_state)"
    sinfo
    return 0
  fi
  echo "no cluster: start it with 'sudo $0 up'"
  return 1
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
