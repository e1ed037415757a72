package io.sluice.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command line. Every list option takes a comma list and may be repeated; without it, every
 * value is measured.
 *
 * @param shapes the graph shapes
 * @param tasks the task counts, ascending
 * @param workers the worker counts, ascending
 * @param phases the phases, in the order cold, warm, limit
 * @param dir where to make the scratch directory, or null for the working directory
 * @param fsync fsync every file and its directory, in Sluice and in the bare loop alike
 * @param inProcess measure everything in this JVM instead of one fresh JVM per measurement
 * @param cpu also report the CPU time the process used during each measurement
 * @param threads also report the CPU time of each kind of thread (Linux only)
 * @param histories record every run in a SQLite history under the scratch directory, as {@code sluice run} does:
 *     one that exists, a new one or none ({@code off}), each in turn within a round; empty without {@code --history}
 * @param repeat how many times each measurement is made, interleaved; medians follow when more than once
 * @param child internal: measure exactly one thing in {@code dir}, as forked by a parent
 * @param policies the up-to-date policies ({@code [core] up_to_date}), each in turn within a round; empty for
 *     the default
 */
record Options(Set<Shape> shapes, Set<Integer> tasks, Set<Integer> workers, Set<Phase> phases, Path dir,
    boolean fsync, boolean inProcess, boolean cpu, boolean threads, List<HistoryMode> histories, int repeat, boolean child,
    List<String> policies) {

  static final String USAGE = """
      Usage: sluice-bench [--shape chain|fanin|diamond|all] [--tasks N[,N...]] [--workers W[,W...]]
                          [--phase cold|warm|check|limit|all] [--policy exists|mtime|fingerprint[,...]]
                          [--dir PATH] [--fsync] [--in-process] [--cpu] [--threads] [--history [off|existing|new|listener][,...]]
                          [--repeat N]

      Times Sluice running no-op tasks that each write one tiny file, against a bare Java loop
      writing the same files atomically. Prints one line per measurement:
        shape=chain tasks=10000 workers=2 phase=cold wall_s=0.840 per_task_us=84 rss_mb=210

        --shape       graph shape (default all): chain, fanin, diamond
        --tasks       task counts; 10k and 1m are accepted (default 1000,10000,100000)
        --workers     Sluice workers; threads of the bare loop (default 1,2)
        --phase       cold: nothing exists; warm: all exists but the root; check: all
                      exists, nothing runs; limit: the bare loop (default all)
        --policy      how tasks are judged up to date ([core] up_to_date): exists (default),
                      mtime or fingerprint; appends policy=P to each line. A list
                      (exists,fingerprint) measures each in turn within a round, each in a
                      fresh JVM and a directory of its own, and the median line of each
                      policy but exists adds over_exists=R: the median of its wall time /
                      exists', taken within each repetition (and cpu_over_exists=R with --cpu)
        --dir         where the scratch directory goes (default: the working directory);
                      the scratch directory is deleted afterwards
        --fsync       fsync files and directories, in Sluice and in the bare loop
        --in-process  measure everything in this JVM (JIT warmed by earlier measurements)
                      instead of one fresh JVM per measurement
        --cpu         append cpu_s=S: CPU seconds (user + system, all threads) the process
                      used during the measurement
        --threads     append threads_cpu_s=KIND:S,...: the CPU seconds of each kind of
                      thread (main, sluice-worker, history-writer, jit, gc+vm, ...; Linux
                      only, sampled from /proc/self/task every 100 ms by a thread whose own
                      CPU is left out of it and out of cpu_s, but not its wake-ups' effect)
        --history     record each Sluice run in a SQLite history (as sluice run does), its
                      flush included in the time; append history_close_s=S (the part of the
                      time closing it took: the last writes, the WAL checkpoint) and
                      history_bytes_per_task=B (what the run added). existing (the
                      default): the history holds one earlier run of the graph, recorded
                      before the clock, outside the measured JVM;
                      new: the run creates the history file and its schema;
                      off: no history; listener: no history, one listener that ignores
                      every event (the engine's events, which any listener costs).
                      A list (off,listener,existing) measures each in turn
                      within a round, each in a fresh JVM and a directory of its own,
                      and the median line of each history adds over_no_history=R: the
                      median of its wall time / off's, taken within each repetition
        --repeat      make every measurement N times (default 1), cold, warm and limit of
                      one graph one after the other each time, then print per measurement a
                      median line: wall and CPU seconds, and the median of cold / limit and
                      warm / limit taken within each repetition

      Options may be repeated; each list option also takes a comma list. See docs/benchmarks.md.
      """;

  /** Thrown for a command line that cannot be run, with a message for the user. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  static Options parse(String... args) throws UsageException {
    Set<Shape> shapes = new TreeSet<>();
    Set<Integer> tasks = new TreeSet<>();
    Set<Integer> workers = new TreeSet<>();
    Set<Phase> phases = new TreeSet<>();
    Path dir = null;
    boolean fsync = false;
    boolean inProcess = false;
    boolean cpu = false;
    boolean threads = false;
    Set<HistoryMode> histories = new LinkedHashSet<>();
    boolean child = false;
    Set<String> policies = new LinkedHashSet<>();
    int repeat = 1;
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    while (!rest.isEmpty()) {
      String arg = rest.remove(0);
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      switch (name) {
        case "--shape" -> {
          for (String item : items(name, value, rest)) {
            if (item.equals("all")) {
              shapes.addAll(List.of(Shape.values()));
            } else {
              shapes.add(parse(() -> Shape.parse(item)));
            }
          }
        }
        case "--tasks" -> {
          for (String item : items(name, value, rest)) {
            tasks.add(count(name, item));
          }
        }
        case "--workers" -> {
          for (String item : items(name, value, rest)) {
            workers.add(count(name, item));
          }
        }
        case "--phase" -> {
          for (String item : items(name, value, rest)) {
            if (item.equals("all")) {
              phases.addAll(List.of(Phase.values()));
            } else {
              phases.add(parse(() -> Phase.parse(item)));
            }
          }
        }
        case "--dir" -> dir = Path.of(single(name, value, rest));
        case "--fsync" -> fsync = flag(name, value);
        case "--policy" -> {
          for (String policy : items(name, value, rest)) {
            parse(() -> io.sluice.UpToDate.parse(policy));
            policies.add(policy);
          }
        }
        case "--in-process" -> inProcess = flag(name, value);
        case "--cpu" -> cpu = flag(name, value);
        case "--threads" -> threads = flag(name, value);
        case "--history" -> {
          // The mode is optional: a bare --history is an existing history, the common case.
          String modes = value != null ? value
              : !rest.isEmpty() && !rest.get(0).startsWith("--") ? rest.remove(0) : HistoryMode.EXISTING.label();
          for (String mode : items(name, modes)) {
            histories.add(parse(() -> HistoryMode.parse(mode)));
          }
        }
        case "--child" -> child = flag(name, value);
        case "--repeat" -> repeat = count(name, single(name, value, rest));
        case "-h", "--help" -> throw new UsageException(null);
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
    }
    if (shapes.isEmpty()) {
      shapes.addAll(List.of(Shape.values()));
    }
    if (tasks.isEmpty()) {
      tasks.addAll(List.of(1_000, 10_000, 100_000));
    }
    if (workers.isEmpty()) {
      workers.addAll(List.of(1, 2));
    }
    if (phases.isEmpty()) {
      phases.addAll(List.of(Phase.values()));
    }
    if (child && (dir == null || shapes.size() != 1 || tasks.size() != 1 || workers.size() != 1
        || phases.size() != 1 || histories.size() > 1 || policies.size() > 1)) {
      throw new UsageException("--child measures exactly one case in the --dir given");
    }
    for (Shape shape : shapes) {
      for (int count : tasks) {
        String problem = shape.check(count);
        if (problem != null) {
          throw new UsageException(problem);
        }
      }
    }
    return new Options(shapes, tasks, workers, phases, dir, fsync, inProcess, cpu, threads, List.copyOf(histories), repeat,
        child, List.copyOf(policies));
  }

  private interface Parser<T> {
    T parse();
  }

  private static <T> T parse(Parser<T> parser) throws UsageException {
    try {
      return parser.parse();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static List<String> items(String name, String value, List<String> rest) throws UsageException {
    return items(name, single(name, value, rest));
  }

  private static List<String> items(String name, String list) throws UsageException {
    List<String> items = new ArrayList<>();
    for (String item : list.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim().toLowerCase(Locale.ROOT));
      }
    }
    if (items.isEmpty()) {
      throw new UsageException(name + " needs a value");
    }
    return items;
  }

  private static String single(String name, String value, List<String> rest) throws UsageException {
    if (value != null) {
      return value;
    }
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new UsageException(name + " needs a value");
    }
    return rest.remove(0);
  }

  private static boolean flag(String name, String value) throws UsageException {
    if (value != null) {
      throw new UsageException(name + " takes no value (got '" + value + "')");
    }
    return true;
  }

  private static int count(String name, String text) throws UsageException {
    String digits = text.replace("_", "");
    int scale = 1;
    if (digits.endsWith("k")) {
      scale = 1_000;
      digits = digits.substring(0, digits.length() - 1);
    } else if (digits.endsWith("m")) {
      scale = 1_000_000;
      digits = digits.substring(0, digits.length() - 1);
    }
    try {
      long value = Long.parseLong(digits) * scale;
      if (value < 1 || value > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return (int) value;
    } catch (NumberFormatException e) {
      throw new UsageException(name + " needs a positive whole number, not '" + text + "'");
    }
  }

  /**
   * This command line for one measurement, as a forked JVM receives it: {@code history} is the
   * one of {@link #histories} it records into, or null without {@code --history}; {@code policy}
   * the one of {@link #policies} it runs under, or null without {@code --policy}.
   */
  static List<String> childArgs(Measurement measurement, HistoryMode history, String policy, Path dir,
      Options options) {
    List<String> args = new ArrayList<>(List.of("--child",
        "--shape", measurement.shape().label(),
        "--tasks", Integer.toString(measurement.tasks()),
        "--workers", Integer.toString(measurement.workers()),
        "--phase", measurement.phase().label(),
        "--dir", dir.toString()));
    if (options.fsync()) {
      args.add("--fsync");
    }
    if (options.cpu()) {
      args.add("--cpu");
    }
    if (options.threads()) {
      args.add("--threads");
    }
    if (history != null) {
      args.add("--history");
      args.add(history.label());
    }
    if (policy != null) {
      args.add("--policy");
      args.add(policy);
    }
    return args;
  }
}
