package io.sluice.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that answer requests, at a lower CPU priority than the pipelines on the machine: a
 * page view waits for a free core rather than taking one from a running task. On Linux each
 * thread raises its own niceness by {@code niceness} as it starts (a thread's niceness is its own
 * there), and so do the JIT compiler's threads, which compile mostly the request path. The
 * server's other threads keep theirs, among them the one that starts scheduled runs: a process
 * starts with the niceness of the thread that started it, so scheduled runs are not slowed.
 * Elsewhere, or without {@code renice}, nothing changes and the server works as before.
 */
final class RequestThreads {

  private static final Logger LOG = LoggerFactory.getLogger(RequestThreads.class);
  /** As Javalin's own pool: threads kept ready, the most at once, and how long an idle one stays. */
  private static final int MIN_THREADS = 8;
  private static final int MAX_THREADS = 250;
  private static final int IDLE_TIMEOUT_MS = 60_000;
  private static final Path THREAD_SELF = Path.of("/proc/thread-self");
  static final int NICEST = 19;
  /** The request threads' name, and their name's start in the system's thread list (15 characters). */
  static final String THREAD_NAME = "sluice-server-http";

  private RequestThreads() {}

  /**
   * Jetty's pool of request threads, each {@code niceness} nicer than the calling thread (0: as
   * nice), whichever thread of the pool starts it.
   */
  static ThreadPool pool(int niceness) {
    check(niceness);
    OptionalInt target = target(niceness);
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory = work -> new Thread(() -> {
      target.ifPresent(nice -> renice(List.of(ownId()), nice));
      work.run();
    }, THREAD_NAME + "-" + threads.incrementAndGet());
    QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, IDLE_TIMEOUT_MS, -1, null, null, factory);
    pool.setName(THREAD_NAME);
    return pool;
  }

  /**
   * Makes the calling thread {@code niceness} nicer than it is (0: as nice), on Linux with
   * {@code renice}; elsewhere nothing changes.
   */
  static void lowerCallingThread(int niceness) {
    check(niceness);
    target(niceness).ifPresent(nice -> renice(List.of(ownId()), nice));
  }

  /** Makes the JVM's compiler threads {@code niceness} nicer than the calling thread: they compile what the requests run. */
  static void lowerCompilers(int niceness) {
    check(niceness);
    OptionalInt target = target(niceness);
    if (target.isEmpty()) {
      return;
    }
    List<String> compilers = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String name = Files.readString(task.resolve("comm")).trim();
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
          compilers.add(task.getFileName().toString());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("The compiler threads' priority stays: /proc/self/task cannot be read", e);
      return;
    }
    if (!compilers.isEmpty()) {
      renice(compilers, target.getAsInt());
    }
  }

  private static void check(int niceness) {
    if (niceness < 0 || niceness > NICEST) {
      throw new IllegalArgumentException("Niceness " + niceness + " is not from 0 to " + NICEST);
    }
  }

  /** The niceness {@code niceness} above the calling thread's, when there is one to set. */
  private static OptionalInt target(int niceness) {
    OptionalInt now = niceness == 0 ? OptionalInt.empty() : niceness(ownId());
    return now.isEmpty() || now.getAsInt() >= NICEST ? OptionalInt.empty()
        : OptionalInt.of(Math.min(NICEST, now.getAsInt() + niceness));
  }

  /** The niceness of thread {@code id} of this process, when the system says it. */
  static OptionalInt niceness(String id) {
    if (id.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      String stat = Files.readString(Path.of("/proc/self/task", id, "stat"));
      // After the name in parentheses (which may hold spaces): state is field 3, nice field 19.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return OptionalInt.of(Integer.parseInt(fields[16]));
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  /** The calling thread's id in the system ({@code /proc/thread-self} names it), or "" elsewhere. */
  static String ownId() {
    try {
      return Files.readSymbolicLink(THREAD_SELF).getFileName().toString();
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }

  /** Sets the niceness of {@code threads}: only ever raised, which needs no privilege. */
  private static void renice(List<String> threads, int niceness) {
    List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(niceness), "-p"));
    command.addAll(threads);
    try {
      Process renice = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!renice.waitFor(5, TimeUnit.SECONDS)) {
        renice.destroyForcibly();
      }
    } catch (IOException e) {
      LOG.debug("The request threads' priority stays: renice cannot be started", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
