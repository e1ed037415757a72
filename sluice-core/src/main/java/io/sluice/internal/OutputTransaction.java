package io.sluice.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outputs one task attempt is writing: each goes to a temporary sibling file, renamed into
 * place by {@link #commit()} when the attempt succeeds and deleted by {@link #abort()} when it
 * does not. The engine installs one per attempt on the task's thread.
 */
public final class OutputTransaction {

  private static final ThreadLocal<OutputTransaction> CURRENT = new ThreadLocal<>();
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final long PID = ProcessHandle.current().pid();
  private static volatile boolean fsync;

  private final Map<Path, Path> temps = new LinkedHashMap<>();

  /** Durability against power loss: fsync each file and its directory on commit. Off by default. */
  public static void fsync(boolean enabled) {
    fsync = enabled;
  }

  public static boolean fsync() {
    return fsync;
  }

  /** Makes this transaction the current thread's, returning the one it replaces. */
  public OutputTransaction install() {
    OutputTransaction previous = CURRENT.get();
    CURRENT.set(this);
    return previous;
  }

  /** Restores what {@link #install()} replaced. */
  public static void restore(OutputTransaction previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  /** The current thread's transaction; fails with a message naming {@code what} when none. */
  public static OutputTransaction required(String what) {
    OutputTransaction current = CURRENT.get();
    if (current == null) {
      throw new IllegalStateException(what + " is only available while a task runs");
    }
    return current;
  }

  /**
   * A stream to {@code target}: inside a task, part of its transaction; outside, committed on
   * close.
   */
  public static OutputStream openAtomic(Path target) throws IOException {
    OutputTransaction current = CURRENT.get();
    if (current != null) {
      return Files.newOutputStream(current.tempFor(target));
    }
    OutputTransaction own = new OutputTransaction();
    Path temp = own.tempFor(target);
    return new FilterOutputStream(Files.newOutputStream(temp)) {
      private boolean closed;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        try {
          super.close();
        } catch (IOException e) {
          own.abort();
          throw e;
        }
        own.commit();
      }
    };
  }

  /** The temporary file standing for {@code target} in this transaction; parents are created. */
  public synchronized Path tempFor(Path target) throws IOException {
    Path temp = temps.get(target);
    if (temp == null) {
      Path parent = target.toAbsolutePath().getParent();
      // createDirectories on an existing directory costs a failing mkdir and an exception.
      if (!Files.isDirectory(parent)) {
        Files.createDirectories(parent);
      }
      temp = parent.resolve(
          "." + target.getFileName() + ".sluice-" + PID + "-" + COUNTER.incrementAndGet() + ".tmp");
      temps.put(target, temp);
    }
    return temp;
  }

  /** Renames every written temporary file into place; returns the targets committed. */
  public synchronized List<Path> commit() throws IOException {
    List<Path> committed = new ArrayList<>();
    for (Map.Entry<Path, Path> entry : temps.entrySet()) {
      Path temp = entry.getValue();
      if (!Files.exists(temp)) {
        continue;
      }
      if (fsync) {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      }
      try {
        Files.move(temp, entry.getKey(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename " + temp + " to " + entry.getKey() + " atomically", e);
      }
      if (fsync) {
        syncDirectory(entry.getKey().toAbsolutePath().getParent());
      }
      committed.add(entry.getKey());
    }
    temps.clear();
    return committed;
  }

  /** Deletes every temporary file; the targets are left as they were. */
  public synchronized void abort() {
    for (Path temp : temps.values()) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // best effort: a leftover hidden temporary file is never read as output
      }
    }
    temps.clear();
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // some filesystems refuse to open directories; the file itself was synced
    }
  }
}
