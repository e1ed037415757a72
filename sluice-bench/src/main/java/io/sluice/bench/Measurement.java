package io.sluice.bench;

import java.util.Locale;

/**
 * One thing to time.
 *
 * @param shape the graph shape (for the bare loop: whose files it writes)
 * @param tasks N, as asked; fan-in and diamond graphs hold N + 1 tasks with their root
 * @param workers Sluice workers, or threads of the bare loop
 * @param phase what is timed
 */
record Measurement(Shape shape, int tasks, int workers, Phase phase) {

  /** The result line: {@code shape=chain tasks=10000 workers=2 phase=cold wall_s=0.840 ...}. */
  String line(long wallNanos, long peakRssMb) {
    double seconds = wallNanos / 1e9;
    long perTaskMicros = Math.round(wallNanos / 1e3 / tasks);
    return String.format(Locale.ROOT, "shape=%s tasks=%d workers=%d phase=%s wall_s=%.3f per_task_us=%d rss_mb=%s",
        shape.label(), tasks, workers, phase.label(), seconds, perTaskMicros,
        peakRssMb < 0 ? "na" : Long.toString(peakRssMb));
  }

  @Override
  public String toString() {
    return shape.label() + " tasks=" + tasks + " workers=" + workers + " phase=" + phase.label();
  }
}
