package io.sluice.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Whether any other run may have worked on the project since this one joined it, so that a task
 * this run found incomplete may have been completed by someone else meanwhile. A run joins before
 * it builds its graph; while it can be sure it is alone, the engine need not look at a task's
 * outputs again before running it, a file status per task.
 *
 * <p>It is sure when, on joining, no other run held a slot (one byte of the file, locked by each
 * run for its whole life and released by the kernel when a process dies), and no run has joined
 * since: every run adds one to a counter kept in the file, mapped into memory, so that asking
 * costs no system call. A run that took its slot before this one looked at the slots is seen
 * there; one that took it later has not counted itself yet when this one looked, and is seen by
 * the counter. Where any of this cannot be had (no free slot, a file system other processes may
 * share over a network, an I/O error) the answer is always "maybe", as before.
 */
final class OtherProcesses implements AutoCloseable {

  static final int SLOTS = 64;
  private static final long SLOT_BASE = 64;
  private static final VarHandle COUNTER = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  // Memory mapped on these is one machine's own; on a network file system another machine's runs
  // would count themselves where this one cannot see it.
  static final Set<String> LOCAL_FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs",
      "zfs", "f2fs", "apfs", "overlay", "ramfs", "jfs");

  private final FileChannel channel;
  private final MappedByteBuffer counter;
  private final FileLock slot;
  private final long joined;
  private volatile boolean alone;

  private OtherProcesses(FileChannel channel, MappedByteBuffer counter, FileLock slot, long joined, boolean alone) {
    this.channel = channel;
    this.counter = counter;
    this.slot = slot;
    this.joined = joined;
    this.alone = alone;
  }

  /** A run that never claims to be alone: for dry runs and runs that coordinate across machines. */
  static OtherProcesses unknown() {
    return new OtherProcesses(null, null, null, 0, false);
  }

  /** Joins the runs of the project whose state is kept in {@code file}; never fails. */
  static OtherProcesses join(Path file) {
    return join(file, false);
  }

  /**
   * Joins late, once the graph is built, a run that found no {@code file} when it started (so
   * that a run with nothing to do writes nothing): it is alone only if no run has counted itself
   * before it, since every run that joined since it started created or counted in the file.
   */
  static OtherProcesses joinFirst(Path file) {
    return join(file, true);
  }

  private static OtherProcesses join(Path file, boolean mustBeFirst) {
    FileChannel channel = null;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!LOCAL_FILE_SYSTEMS.contains(Files.getFileStore(file.toAbsolutePath().getParent()).type())) {
        return unknown();
      }
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock slot = null;
      int mine = -1;
      for (int i = 0; i < SLOTS && slot == null; i++) {
        slot = tryLock(channel, i);
        mine = i;
      }
      if (slot == null) {
        channel.close();
        return unknown();
      }
      MappedByteBuffer counter = channel.map(FileChannel.MapMode.READ_WRITE, 0, Long.BYTES);
      long joined = (long) COUNTER.getAndAdd(counter, 0, 1L) + 1;
      boolean alone = !mustBeFirst || joined == 1;
      for (int i = 0; i < SLOTS && alone; i++) {
        if (i != mine) {
          FileLock other = tryLock(channel, i);
          alone = other != null;
          if (other != null) {
            other.release();
          }
        }
      }
      return new OtherProcesses(channel, counter, slot, joined, alone);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // nothing was held
        }
      }
      return unknown();
    }
  }

  private static FileLock tryLock(FileChannel channel, int slot) throws IOException {
    try {
      return channel.tryLock(SLOT_BASE + slot, 1, false);
    } catch (OverlappingFileLockException e) {
      // Another run of this JVM holds it.
      return null;
    }
  }

  /**
   * Whether no other run can have committed anything since this one joined; once false, false
   * for the rest of the run.
   */
  boolean noneSinceJoining() {
    if (!alone) {
      return false;
    }
    if ((long) COUNTER.getVolatile(counter, 0) != joined) {
      alone = false;
    }
    return alone;
  }

  @Override
  public void close() {
    alone = false;
    if (channel != null) {
      try {
        slot.release();
        channel.close();
      } catch (IOException ignored) {
        // closing the channel released the lock
      }
    }
  }
}
