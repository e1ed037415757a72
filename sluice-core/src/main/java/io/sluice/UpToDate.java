package io.sluice;

import java.util.Locale;

/**
 * How the engine decides that a task whose outputs exist is up to date. Chosen project-wide with
 * {@code [core] up_to_date} in sluice.toml, or per task with {@link Task#upToDate()}; the engine
 * evaluates it once per task and run, and says why a task will run.
 */
public enum UpToDate {
  /** Luigi's rule: done when every output exists; what it requires is not even looked at. */
  EXISTS,
  /** Make's rule: out of date when an input is newer than the oldest output, or upstream runs. */
  MTIME,
  /**
   * Out of date when its parameters, its code or the content of its inputs differ from what its
   * outputs were built from (recorded when they were committed), or upstream runs.
   */
  FINGERPRINT;

  /** The name used in sluice.toml: {@code exists}, {@code mtime} or {@code fingerprint}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The policy named {@code text}.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static UpToDate parse(String text) {
    for (UpToDate policy : values()) {
      if (policy.label().equals(text)) {
        return policy;
      }
    }
    throw new IllegalArgumentException("up_to_date = \"" + text + "\" is not a policy; use \"exists\", \"mtime\" or"
        + " \"fingerprint\"");
  }
}
