package io.sluice.scenarios.leases;

import io.sluice.LocalTarget;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.WrapperTask;
import io.sluice.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The pipeline of the lease scenarios, run with the real {@code sluice} command line in a child
 * JVM: {@code LeasePipeline run Fleet --size N}. Every execution of a unit's {@code run()} leaves
 * a file of its own under {@code markers/} (task, pid, a sequence), so a test counts executions
 * whichever process made them; each unit's output holds the pid of the process that committed it.
 */
public final class LeasePipeline {

  /** Each unit's run() sleeps this many milliseconds, from the environment (default 0). */
  static final String UNIT_MS = "LEASE_UNIT_MS";
  /** While {@code markers/hold} exists, the first run() of {@code Unit(i=0)} waits, after writing its output. */
  static final String HOLD = "hold";

  private LeasePipeline() {}

  public static void main(String[] args) {
    Cli.run(args, LeasePipeline.class);
  }

  /** All units. */
  public record Fleet(int size) implements WrapperTask {
    public Fleet() {
      this(500);
    }

    @Override
    public List<Task> requires() {
      return IntStream.range(0, size).<Task>mapToObj(Unit::new).toList();
    }
  }

  /** One unit of work. */
  public record Unit(int i) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("out/unit-" + i + ".txt");
    }

    @Override
    public void run(TaskContext context) throws IOException, InterruptedException {
      long pid = ProcessHandle.current().pid();
      Path markers = Files.createDirectories(Path.of("markers"));
      Files.writeString(markers.resolve("run-" + i + "-" + pid + "-" + System.nanoTime()), "");
      output().writeString(Long.toString(pid));
      if (i == 0 && Files.exists(markers.resolve(HOLD)) && first(markers.resolve("held"))) {
        Files.writeString(markers.resolve("holding-" + pid), "");
        Thread.sleep(5_000);
      }
      String delay = System.getenv(UNIT_MS);
      if (delay != null) {
        Thread.sleep(Long.parseLong(delay));
      }
    }

    private static boolean first(Path file) {
      try {
        Files.writeString(file, "", StandardOpenOption.CREATE_NEW);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }
}
