package io.sluice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * A task that is complete only while its outputs are up to date, as make judges them: they
 * exist, everything it requires is complete, and no input file is newer than its oldest output.
 * So deleting or rebuilding an intermediate file re-runs exactly the steps after it.
 */
public interface UpToDateTask extends Task {

  @Override
  default boolean complete() {
    if (!Task.super.complete()) {
      return false;
    }
    List<? extends Task> requires = requires();
    for (Task required : requires) {
      if (!required.complete()) {
        return false;
      }
    }
    // The engine checks complete() again just before running a task, after its upstream ran:
    // existence alone would then call a stale output done, so compare modification times.
    FileTime oldestOutput = null;
    for (Target output : outputs()) {
      FileTime modified = modified(output);
      if (modified != null && (oldestOutput == null || modified.compareTo(oldestOutput) < 0)) {
        oldestOutput = modified;
      }
    }
    if (oldestOutput == null) {
      return true;
    }
    for (Target input : Task.outputsOf(requires)) {
      FileTime modified = modified(input);
      if (modified != null && modified.compareTo(oldestOutput) > 0) {
        return false;
      }
    }
    return true;
  }

  private static FileTime modified(Target target) {
    if (!(target instanceof LocalTarget local)) {
      return null;
    }
    try {
      return Files.getLastModifiedTime(local.path());
    } catch (IOException e) {
      return null;
    }
  }
}
