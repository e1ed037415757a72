package io.sluice.internal;

import io.sluice.TaskId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;

/**
 * Keeps two processes on one project from running the same task at once: one byte of a shared
 * lock file per task (at an offset hashed from its id), locked with the operating system's
 * record locks, which the kernel releases when a process dies. Threads of one process take a
 * lock of their own first, since the JVM forbids overlapping file locks within one process. That
 * one is a semaphore, not a lock owned by a thread: the engine releases the lock of a task it
 * abandoned (past its timeout) from another thread than the one that took it.
 */
public final class TaskLocks implements AutoCloseable {

  private static final ConcurrentHashMap<Long, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();
  private static final long MAX_WAIT_STEP_MS = 200;

  private final FileChannel channel;

  /** Opens (creating) the lock file. */
  public TaskLocks(Path lockFile) throws IOException {
    Files.createDirectories(lockFile.toAbsolutePath().getParent());
    this.channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }

  /** A held lock; close it to release. */
  public interface Held extends AutoCloseable {
    /** Whether the lock had to wait for another holder. */
    boolean waited();

    @Override
    void close();
  }

  /**
   * Locks the task, waiting at most {@code timeout} for another holder.
   *
   * @return the held lock, or null when another holder kept it past the timeout
   */
  public Held acquire(TaskId id, Duration timeout) throws IOException, InterruptedException {
    long offset = offset(id);
    long deadline = System.nanoTime() + timeout.toNanos();
    Semaphore local = IN_PROCESS.computeIfAbsent(offset, k -> new Semaphore(1));
    boolean waited = false;
    if (!local.tryAcquire()) {
      waited = true;
      if (!local.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return null;
      }
    }
    try {
      long step = 5;
      while (true) {
        FileLock fileLock;
        try {
          fileLock = channel.tryLock(offset, 1, false);
        } catch (OverlappingFileLockException e) {
          fileLock = null;
        }
        if (fileLock != null) {
          return held(fileLock, local, waited);
        }
        waited = true;
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          local.release();
          return null;
        }
        Thread.sleep(Math.min(step, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        step = Math.min(step * 2, MAX_WAIT_STEP_MS);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      local.release();
      throw e;
    }
  }

  private static Held held(FileLock fileLock, Semaphore local, boolean waited) {
    return new Held() {
      @Override
      public boolean waited() {
        return waited;
      }

      @Override
      public void close() {
        try {
          fileLock.release();
        } catch (IOException ignored) {
          // the channel is gone; the kernel has released the lock with it
        } finally {
          local.release();
        }
      }
    };
  }

  static long offset(TaskId id) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(id.toString().getBytes(StandardCharsets.UTF_8));
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = (value << 8) | (digest[i] & 0xff);
      }
      // Keep clear of the top of the range: offset + 1 must not overflow.
      return (value & Long.MAX_VALUE) % (Long.MAX_VALUE - 1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
