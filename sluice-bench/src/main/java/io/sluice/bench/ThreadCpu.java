package io.sluice.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds of the process's threads during a measurement, by kind (main, workers, the history
 * writer, the JIT compiler, GC, other), read from {@code /proc/self/task} (Linux only). The JIT's
 * and GC's threads are invisible to {@code ThreadMXBean}, hence the kernel's view. Threads that
 * end are sampled every 100 ms while they live, so at most that much of each is missed.
 */
final class ThreadCpu implements AutoCloseable {

  private static final Path TASKS = Path.of("/proc/self/task");
  private static final double TICK_S = 0.01;  // USER_HZ, 100 on every Linux of note

  private final Map<String, long[]> atStart = sample();
  private final Map<String, long[]> latest = new HashMap<>(atStart);
  private final Thread sampler;
  private volatile boolean stopped;

  private ThreadCpu() {
    sampler = new Thread(() -> {
      while (!stopped) {
        merge(sample());
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-thread-cpu");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Starts sampling, or returns null where there is no {@code /proc/self/task}. */
  static ThreadCpu startIfAvailable() {
    return Files.isDirectory(TASKS) ? new ThreadCpu() : null;
  }

  private synchronized void merge(Map<String, long[]> now) {
    latest.putAll(now);
  }

  @Override
  public void close() {
    stopped = true;
    sampler.interrupt();
    try {
      sampler.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    merge(sample());
  }

  /** The sampling thread's own CPU time, to leave out of the process's. */
  synchronized long samplerNanos() {
    long ticks = 0;
    for (Map.Entry<String, long[]> thread : latest.entrySet()) {
      if (kind(thread.getKey().substring(thread.getKey().indexOf(' ') + 1)).equals("sampler")) {
        long[] before = atStart.get(thread.getKey());
        ticks += thread.getValue()[1] - (before == null ? 0 : before[1]);
      }
    }
    return (long) (ticks * TICK_S * 1e9);
  }

  /** {@code " threads_cpu_s=main:0.41,worker:0.62,..."}: the CPU each kind of thread used since the start. */
  synchronized String line() {
    Map<String, Long> byKind = new TreeMap<>();
    latest.forEach((tid, now) -> {
      long[] before = atStart.get(tid);
      long ticks = now[1] - (before == null ? 0 : before[1]);
      String kind = kind(tid.substring(tid.indexOf(' ') + 1));
      if (ticks > 0 && !kind.equals("sampler")) {
        byKind.merge(kind, ticks, Long::sum);
      }
    });
    StringBuilder line = new StringBuilder(" threads_cpu_s=");
    byKind.forEach((kind, ticks) -> line.append(line.length() > 15 ? "," : "").append(kind).append(':')
        .append(String.format(Locale.ROOT, "%.2f", ticks * TICK_S)));
    return line.toString();
  }

  private static String kind(String name) {
    if (name.startsWith("C1 ") || name.startsWith("C2 ")) {
      return "jit";
    }
    if (name.startsWith("GC ") || name.startsWith("VM Thread")) {
      return "gc+vm";
    }
    if (name.equals("main") || name.equals("java")) {
      return "main";
    }
    if (name.startsWith("sluice-history")) {
      return "history-writer";
    }
    if (name.startsWith("bench-thread-cp")) {
      return "sampler";
    }
    if (name.startsWith("sluice-")) {
      return name.replaceAll("[-0-9]+$", "");
    }
    return "other";
  }

  /** Per thread, keyed "tid comm": {0, utime + stime in ticks}. */
  private static Map<String, long[]> sample() {
    Map<String, long[]> sample = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String[] fields = stat.substring(close + 2).split(" ");
          // fields[0] is the state (field 3); utime and stime are fields 14 and 15
          long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          sample.put(task.getFileName() + " " + stat.substring(open + 1, close), new long[] {0, ticks});
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to tell
    }
    return sample;
  }
}
