package io.sluice.internal;

import io.sluice.Resources;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Keeps the limits of {@code [resources]} across the runs of one project, not only within each:
 * two runs started by hand and by cron, each allowed {@code gpu = 1}, do not use the one GPU at
 * once. A resource with a limit of N has a file under the state directory with N bytes, one per
 * unit; a task holding k units holds the operating system's record locks of k of those bytes,
 * which the kernel releases when its process dies. Units are taken all at once or not at all (a
 * task never holds some while waiting for more), so runs waiting for each other cannot deadlock.
 *
 * <p>Within a run the scheduler already keeps to the limits; these locks are for the others.
 * The JVM refuses overlapping locks within one process, which then count as held: two runs in
 * one JVM keep to the limits together too.
 */
final class SharedResources implements AutoCloseable {

  private static final long MAX_WAIT_STEP_MS = 200;

  private final Path dir;
  private final Map<String, Integer> limits;
  private final Map<String, FileChannel> files = new ConcurrentHashMap<>();

  SharedResources(Path dir, Map<String, Integer> limits) {
    this.dir = dir;
    this.limits = limits;
  }

  /** Units held by one task; close to release them. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  private static final Held NOTHING = () -> { };

  /** Whether a task needing {@code needs} holds anything here: only resources with a limit count. */
  boolean limits(Resources needs) {
    for (Map.Entry<String, Integer> need : needs.amounts().entrySet()) {
      if (need.getValue() > 0 && limits.containsKey(need.getKey())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The units {@code needs} asks of limited resources, waited for up to {@code timeout} while
   * other runs hold them; null when they did not free them in time, or {@code stop} said to stop.
   */
  Held acquire(Resources needs, Duration timeout, BooleanSupplier stop) throws IOException, InterruptedException {
    if (!limits(needs)) {
      return NOTHING;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long step = 5;
    while (true) {
      List<FileLock> taken = tryAll(needs);
      if (taken != null) {
        return new Held() {
          private boolean released;

          @Override
          public synchronized void close() {
            if (!released) {
              released = true;
              release(taken);
            }
          }
        };
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || stop.getAsBoolean()) {
        return null;
      }
      TimeUnit.MILLISECONDS.sleep(Math.min(step, TimeUnit.NANOSECONDS.toMillis(left) + 1));
      step = Math.min(step * 2, MAX_WAIT_STEP_MS);
    }
  }

  /** Every unit asked for, or none (null). */
  private List<FileLock> tryAll(Resources needs) throws IOException {
    List<FileLock> taken = new ArrayList<>();
    for (Map.Entry<String, Integer> need : needs.amounts().entrySet()) {
      Integer limit = limits.get(need.getKey());
      if (limit == null || need.getValue() == 0) {
        continue;
      }
      FileChannel file = file(need.getKey());
      int wanted = need.getValue();
      for (int unit = 0; unit < limit && wanted > 0; unit++) {
        FileLock lock = tryLock(file, unit);
        if (lock != null) {
          taken.add(lock);
          wanted--;
        }
      }
      if (wanted > 0) {
        release(taken);
        return null;
      }
    }
    return taken;
  }

  private static FileLock tryLock(FileChannel file, int unit) throws IOException {
    try {
      return file.tryLock(unit, 1, false);
    } catch (OverlappingFileLockException e) {
      return null;  // held by another run in this JVM
    }
  }

  private static void release(List<FileLock> locks) {
    for (FileLock lock : locks) {
      try {
        lock.release();
      } catch (IOException | RuntimeException ignored) {
        // the channel is closed, which released it
      }
    }
    locks.clear();
  }

  private FileChannel file(String resource) throws IOException {
    FileChannel file = files.get(resource);
    if (file != null) {
      return file;
    }
    synchronized (files) {
      file = files.get(resource);
      if (file == null) {
        Files.createDirectories(dir);
        // The name as given when it is a plain word; any other name by a hash, never a path.
        String name = resource.matches("[A-Za-z0-9_.-]{1,100}") && !resource.startsWith(".")
            ? resource : "r-" + Integer.toHexString(resource.hashCode());
        file = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        files.put(resource, file);
      }
      return file;
    }
  }

  @Override
  public void close() {
    for (FileChannel file : files.values()) {
      try {
        file.close();
      } catch (IOException ignored) {
        // closing releases the locks anyway
      }
    }
    files.clear();
  }
}
