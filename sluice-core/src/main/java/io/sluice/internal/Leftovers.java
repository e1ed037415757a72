package io.sluice.internal;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Removes the temporary files that dead processes left in the directories a run writes to, once
 * per directory per run: listing a directory of ten thousand outputs before each write would cost
 * more than the writes.
 */
public final class Leftovers {

  private final Set<Path> swept = ConcurrentHashMap.newKeySet();
  private final boolean enabled;

  private Leftovers(boolean enabled) {
    this.enabled = enabled;
  }

  /** A sweeper for one run. */
  public static Leftovers forRun() {
    return new Leftovers(true);
  }

  /** Removes nothing: for writes outside a run. */
  static Leftovers none() {
    return new Leftovers(false);
  }

  /** Removes the dead processes' temporary files from {@code dir}, unless this run already did. */
  void sweep(Path dir) {
    if (enabled && swept.add(dir)) {
      TempFiles.removeLeftovers(dir);
    }
  }

  /**
   * As {@link #sweep(Path)}, from a listing of {@code dir} (absolute, normalized) this run has
   * just made anyway: a dead process cannot have added a file since, and listing a directory of
   * 100,000 outputs a second time costs as much as the first.
   */
  void sweep(Path dir, String[] names) {
    if (enabled && swept.add(dir)) {
      TempFiles.removeLeftovers(dir, names);
    }
  }
}
