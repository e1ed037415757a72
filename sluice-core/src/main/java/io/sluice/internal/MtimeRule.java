package io.sluice.internal;

import io.sluice.LocalTarget;
import io.sluice.Target;
import io.sluice.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Make's rule: a task is out of date when one of its input files (the outputs of what it
 * requires) is newer than its oldest output. Targets that are not local files have no time and
 * never make a task out of date by this rule.
 */
final class MtimeRule {

  private MtimeRule() {}

  /** Why the task is out of date by this rule; empty when it is not. */
  static List<String> check(Task task, List<? extends Task> requires) {
    FileTime oldestOutput = null;
    Target oldest = null;
    for (Target output : task.outputs()) {
      FileTime modified = modified(output);
      if (modified != null && (oldestOutput == null || modified.compareTo(oldestOutput) < 0)) {
        oldestOutput = modified;
        oldest = output;
      }
    }
    if (oldestOutput == null) {
      return List.of();
    }
    List<String> reasons = new ArrayList<>(1);
    for (Task required : requires) {
      for (Target input : required.outputs()) {
        FileTime modified = modified(input);
        if (modified != null && modified.compareTo(oldestOutput) > 0) {
          reasons.add("input " + input + " is newer than output " + oldest);
        }
      }
    }
    return reasons;
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
