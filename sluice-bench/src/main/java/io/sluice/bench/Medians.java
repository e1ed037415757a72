package io.sluice.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The medians of repeated measurements ({@code --repeat}): per measurement, its wall time, CPU
 * time and peak RSS, its ratio to the bare loop of the same repetition and, for a run recorded in
 * a history, its ratio to the run without one ({@code --history off,...}) of the same repetition,
 * and under a policy, its ratio to the run under {@code exists} ({@code --policy exists,...}) of
 * the same repetition, so that a machine that slows down midway shifts both sides of each ratio alike.
 */
final class Medians {

  private static final Pattern FIELD = Pattern.compile("(\\w+)=([0-9.]+)");

  /** One measurement's result line, read back. */
  private record Sample(int round, double wall, double cpu, double rss) {}

  /**
   * What was measured: {@code policy} is null unless several policies are compared, {@code history}
   * null without {@code --history}; both are null for the bare loop.
   */
  private record Key(Measurement measurement, String policy, HistoryMode history) {}

  private static final String EXISTS = "exists";

  private final Map<Key, List<Sample>> samples = new LinkedHashMap<>();

  void add(Measurement measurement, HistoryMode history, int round, String line) {
    add(measurement, null, history, round, line);
  }

  void add(Measurement measurement, String policy, HistoryMode history, int round, String line) {
    Map<String, Double> fields = new LinkedHashMap<>();
    Matcher matcher = FIELD.matcher(line);
    while (matcher.find()) {
      fields.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
    }
    samples.computeIfAbsent(new Key(measurement, policy, history), k -> new ArrayList<>()).add(new Sample(round,
        fields.getOrDefault("wall_s", Double.NaN), fields.getOrDefault("cpu_s", Double.NaN),
        fields.getOrDefault("rss_mb", Double.NaN)));
  }

  /**
   * One line per measurement: {@code median shape=fanin tasks=100000 workers=2 phase=cold runs=5
   * wall_s=3.10 [2.95-3.60] cpu_s=3.90 rss_mb=210 over_limit=1.45}; with a history, {@code
   * history=existing} after the phase and, when the same was measured with {@code off}, {@code
   * over_no_history=1.08} at the end; when several policies are compared, {@code policy=fingerprint}
   * after the phase and, when the same was measured under {@code exists}, {@code over_exists=1.25}
   * (and {@code cpu_over_exists=1.20} when CPU seconds were measured) at the end.
   */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<Key, List<Sample>> entry : samples.entrySet()) {
      Measurement measurement = entry.getKey().measurement();
      String policy = entry.getKey().policy();
      HistoryMode history = entry.getKey().history();
      List<Sample> runs = entry.getValue();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
          "median shape=%s tasks=%d workers=%d phase=%s%s%s runs=%d wall_s=%.3f [%.3f-%.3f]",
          measurement.shape().label(), measurement.tasks(), measurement.workers(), measurement.phase().label(),
          policy == null ? "" : " policy=" + policy, history == null ? "" : " history=" + history.label(), runs.size(), median(runs, Sample::wall), min(runs),
          max(runs)));
      // What was not measured (CPU without --cpu) is left out, not printed as NaN.
      appendMeasured(line, " cpu_s=%.2f", median(runs, Sample::cpu));
      appendMeasured(line, " rss_mb=%.0f", median(runs, Sample::rss));
      List<Sample> limits = samples.get(new Key(new Measurement(measurement.shape(), measurement.tasks(),
          measurement.workers(), Phase.LIMIT), null, null));
      if (measurement.phase() != Phase.LIMIT && limits != null) {
        line.append(String.format(Locale.ROOT, " over_limit=%.2f", medianRatio(runs, limits, Sample::wall)));
      }
      List<Sample> withoutHistory = samples.get(new Key(measurement, policy, HistoryMode.OFF));
      if (history != null && history != HistoryMode.OFF && withoutHistory != null) {
        line.append(String.format(Locale.ROOT, " over_no_history=%.3f", medianRatio(runs, withoutHistory, Sample::wall)));
      }
      List<Sample> underExists = samples.get(new Key(measurement, EXISTS, history));
      if (policy != null && !policy.equals(EXISTS) && underExists != null) {
        line.append(String.format(Locale.ROOT, " over_exists=%.3f", medianRatio(runs, underExists, Sample::wall)));
        double cpu = medianRatio(runs, underExists, Sample::cpu);
        if (!Double.isNaN(cpu)) {
          line.append(String.format(Locale.ROOT, " cpu_over_exists=%.3f", cpu));
        }
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static void appendMeasured(StringBuilder line, String format, double value) {
    if (!Double.isNaN(value)) {
      line.append(String.format(Locale.ROOT, format, value));
    }
  }

  /** The median of the {@code field} of each of {@code runs} over that of {@code others} in the same repetition. */
  private static double medianRatio(List<Sample> runs, List<Sample> others, ToDoubleFunction<Sample> field) {
    List<Double> ratios = new ArrayList<>();
    for (Sample run : runs) {
      for (Sample other : others) {
        if (other.round() == run.round()) {
          ratios.add(field.applyAsDouble(run) / field.applyAsDouble(other));
        }
      }
    }
    return median(ratios);
  }

  private static double median(List<Sample> runs, ToDoubleFunction<Sample> field) {
    return median(runs.stream().map(run -> field.applyAsDouble(run)).toList());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  private static double min(List<Sample> runs) {
    return runs.stream().mapToDouble(Sample::wall).min().orElse(Double.NaN);
  }

  private static double max(List<Sample> runs) {
    return runs.stream().mapToDouble(Sample::wall).max().orElse(Double.NaN);
  }
}
