package io.sluice.internal;

import io.sluice.LocalTarget;
import io.sluice.Target;
import io.sluice.TaskStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * Whether a task that was incomplete when this run built its graph was completed since by
 * another process, so that running it again would only repeat that work.
 *
 * <p>It was if it is complete now and, when something it requires ran in this run, its outputs
 * were written after that run committed them: outputs written earlier were made from the old
 * inputs. The times compared are the filesystem's own (the modification time of each output,
 * the change time a rename gives each input), so that both come from one clock with one
 * granularity. An output written in the same clock tick as an input's commit counts as after
 * it: a task reads its inputs only once they are in place. Where a time cannot be read
 * (targets other than local files), completeness alone decides: the task was incomplete when
 * this run started, so its outputs were made since, by a process that found what it requires
 * complete.
 */
final class CompletedMeanwhile {

  private static final ClassValue<Boolean> OWN_COMPLETE = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      try {
        return type.getMethod("complete").getDeclaringClass() != io.sluice.Task.class;
      } catch (NoSuchMethodException e) {
        return true;
      }
    }
  };

  private CompletedMeanwhile() {}

  /**
   * Whether only another run can have completed the task: it is judged by its outputs alone.
   * A task's own {@code complete()} may look at anything (a table, a remote system) that
   * someone other than a run may have changed, so it is always asked again.
   */
  static boolean onlyRunsCanComplete(io.sluice.Task task) {
    return !OWN_COMPLETE.get(task.getClass());
  }

  /** Call with the task's lock held. */
  static boolean check(Node node) {
    if (!node.task.complete()) {
      return false;
    }
    List<? extends Target> outputs = node.task.outputs();
    // A task without outputs has nothing another process could have left: it runs (a wrapper
    // trivially, see NoOutputTasks for the others).
    if (outputs.isEmpty()) {
      return false;
    }
    FileTime oldestOutput = null;
    for (Target output : outputs) {
      FileTime written = time(output, "lastModifiedTime");
      if (written != null && (oldestOutput == null || written.compareTo(oldestOutput) < 0)) {
        oldestOutput = written;
      }
    }
    if (oldestOutput == null) {
      return true;
    }
    for (Node dep : node.deps) {
      if (dep.status != TaskStatus.DONE) {
        continue;
      }
      for (Target input : dep.task.outputs()) {
        FileTime committed = commitTime(input);
        if (committed != null && oldestOutput.compareTo(committed) < 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** When the file was renamed into place: its change time, where the filesystem has one. */
  private static FileTime commitTime(Target target) {
    FileTime changed = time(target, "unix:ctime");
    return changed != null ? changed : time(target, "lastModifiedTime");
  }

  private static FileTime time(Target target, String attribute) {
    if (!(target instanceof LocalTarget local)) {
      return null;
    }
    Path path = local.path();
    try {
      return (FileTime) Files.getAttribute(path, attribute);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }
}
