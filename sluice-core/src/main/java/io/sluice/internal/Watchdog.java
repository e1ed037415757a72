package io.sluice.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the sessions this JVM started when the JVM dies, however it dies (SIGKILL, a crash, an
 * out-of-memory kill), where no code of the JVM can run any more. It is one small {@code sh}
 * process per JVM, started on first use in a session of its own (so that no signal meant for
 * the JVM's terminal or process group reaches it), reading {@code add ID} and {@code del ID}
 * lines from a pipe that only this JVM holds. When the JVM is gone the kernel closes that pipe;
 * at end of input the watchdog sends SIGTERM to every process of the sessions still listed,
 * SIGKILL to what is left after {@link ProcessGroup#GRACE}, and exits.
 *
 * <p>One per JVM, not per run: it guards the JVM's lifetime, which every run in it shares, and
 * holds no state of any run.
 */
final class Watchdog {

  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

  /**
   * The watchdog, for {@code sh -c SCRIPT watchdog GRACE_SECONDS}. A session's processes are
   * found by the session field of {@code /proc/PID/stat}; zombies are already dead.
   */
  static final String SCRIPT = """
      trap '' HUP INT TERM QUIT PIPE
      ids=' '
      while read -r verb id; do
        case $verb in
          add) ids="$ids$id " ;;
          del) case $ids in *" $id "*) ids="${ids%% $id *} ${ids#* $id }" ;; esac ;;
        esac
      done
      [ "$ids" = ' ' ] && exit 0
      members() {
        for stat in /proc/[0-9]*/stat; do
          read -r line 2>/dev/null < "$stat" || continue
          set -- ${line##*) }
          [ "$1" = Z ] && continue
          case $ids in *" $4 "*) pid=${stat#/proc/}; echo "${pid%/stat}" ;; esac
        done
      }
      signal() {
        for pid in $(members); do kill -s "$1" "$pid" 2>/dev/null; done
      }
      signal TERM
      ticks=0
      while [ $ticks -lt $(($1 * 10)) ] && [ -n "$(members)" ]; do
        sleep 0.1
        ticks=$((ticks + 1))
      done
      signal KILL
      """;

  private final Process process;
  private final OutputStream commands;
  private boolean broken;

  private Watchdog(Process process) {
    this.process = process;
    this.commands = process == null ? null : process.getOutputStream();
  }

  /** The watchdog of this JVM, started on first use. */
  static Watchdog shared() {
    return Holder.SHARED;
  }

  private static final class Holder {
    static final Watchdog SHARED = start();
  }

  private static Watchdog start() {
    // Started with setsid, like the processes it guards; its own output goes nowhere, so that it
    // never holds the JVM's stdout open (a `$(sluice run ...)` would wait for it).
    ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", SCRIPT, "sluice-watchdog",
        Long.toString(ProcessGroup.GRACE.toSeconds())))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      return new Watchdog(ProcessGroup.startDetached(builder));
    } catch (IOException e) {
      LOG.warn("cannot start the process watchdog ({}): if this JVM is killed with SIGKILL, "
          + "the programs and remote runs it started keep running", e.getMessage());
      return new Watchdog(null);
    }
  }

  /** Guards the session {@code id} from now on. */
  void add(long id) {
    send("add " + id + "\n");
  }

  /** Stops guarding the session {@code id}: it is over. */
  void remove(long id) {
    send("del " + id + "\n");
  }

  private synchronized void send(String line) {
    if (commands == null || broken) {
      return;
    }
    try {
      commands.write(line.getBytes(StandardCharsets.US_ASCII));
      commands.flush();
    } catch (IOException e) {
      broken = true;
      LOG.warn("the process watchdog (pid {}) is gone ({}): if this JVM is killed with SIGKILL, "
          + "the programs and remote runs it started keep running", process.pid(), e.getMessage());
    }
  }
}
