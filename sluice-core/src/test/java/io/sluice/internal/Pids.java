package io.sluice.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a process runs: a zombie (dead, not yet reaped by its parent) does not. */
final class Pids {

  private Pids() {}

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
  }

  /** Whether the process is gone within {@code millis}: SIGKILL takes effect soon after kill returns. */
  static boolean goneWithin(long pid, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (alive(pid)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException gone) {
      return false;
    }
  }
}
