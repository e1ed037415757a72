package io.sluice;

import java.util.Optional;

/**
 * A task judged by make's rule ({@link UpToDate#MTIME}) whatever the project's default: it is
 * out of date when an input is newer than its oldest output, or when something it requires
 * will run. The engine evaluates this once per task and run; prefer {@link Task#upToDate()} or
 * {@code [core] up_to_date} in new code.
 */
public interface UpToDateTask extends Task {

  @Override
  default Optional<UpToDate> upToDate() {
    return Optional.of(UpToDate.MTIME);
  }
}
