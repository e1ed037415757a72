package io.sluice.internal;

import io.sluice.TaskId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * For {@link TaskLocksTest}: a process that joins a project's runs, then tries to take a task's
 * lock for a while and says whether it got it ("held") or not ("busy"), and keeps it until its
 * input closes. Arguments: the runs file, the lock file, the task's family, the wait in ms.
 */
final class TaskLockHolder {

  private TaskLockHolder() {}

  public static void main(String[] args) throws Exception {
    try (OtherProcesses run = OtherProcesses.join(Path.of(args[0]));
        TaskLocks locks = new TaskLocks(Path.of(args[1]), run)) {
      System.out.println("joined");
      System.out.flush();
      TaskLocks.Held held = locks.acquire(new TaskId(args[2], Map.of()), Duration.ofMillis(Long.parseLong(args[3])));
      System.out.println(held == null ? "busy" : "held");
      System.out.flush();
      while (System.in.read() != -1) {
        // until the test closes our input
      }
      if (held != null) {
        held.close();
      }
    }
  }
}
