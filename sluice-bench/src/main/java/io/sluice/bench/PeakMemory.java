package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident set size (VmHWM in /proc/self/status), reset between
 * measurements of one JVM through /proc/self/clear_refs. Linux only; elsewhere unknown (-1).
 */
final class PeakMemory {

  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private PeakMemory() {}

  /** Lowers the peak to the current resident size, so the next reading covers what follows. */
  static void reset() {
    try {
      Files.writeString(CLEAR_REFS, "5");
    } catch (IOException | RuntimeException e) {
      // older kernels or no /proc: the peak then covers the whole process, which is only higher
    }
  }

  /** The peak resident size since the start or the last {@link #reset()}, in MiB; -1 if unknown. */
  static long peakMb() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim());
          return Math.round(kb / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }
}
