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
 * time and peak RSS, and its ratio to the bare loop of the same repetition, so that a machine
 * that slows down midway shifts both sides of each ratio alike.
 */
final class Medians {

  private static final Pattern FIELD = Pattern.compile("(\\w+)=([0-9.]+)");

  /** One measurement's result line, read back. */
  private record Sample(int round, double wall, double cpu, double rss) {}

  private final Map<Measurement, List<Sample>> samples = new LinkedHashMap<>();

  void add(Measurement measurement, int round, String line) {
    Map<String, Double> fields = new LinkedHashMap<>();
    Matcher matcher = FIELD.matcher(line);
    while (matcher.find()) {
      fields.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
    }
    samples.computeIfAbsent(measurement, m -> new ArrayList<>()).add(new Sample(round,
        fields.getOrDefault("wall_s", Double.NaN), fields.getOrDefault("cpu_s", Double.NaN),
        fields.getOrDefault("rss_mb", Double.NaN)));
  }

  /**
   * One line per measurement: {@code median shape=fanin tasks=100000 workers=2 phase=cold runs=5
   * wall_s=3.10 [2.95-3.60] cpu_s=3.90 rss_mb=210 over_limit=1.45}.
   */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<Measurement, List<Sample>> entry : samples.entrySet()) {
      Measurement measurement = entry.getKey();
      List<Sample> runs = entry.getValue();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
          "median shape=%s tasks=%d workers=%d phase=%s runs=%d wall_s=%.3f [%.3f-%.3f] cpu_s=%.2f rss_mb=%.0f",
          measurement.shape().label(), measurement.tasks(), measurement.workers(), measurement.phase().label(),
          runs.size(), median(runs, Sample::wall), min(runs), max(runs), median(runs, Sample::cpu),
          median(runs, Sample::rss)));
      List<Sample> limits = samples.get(new Measurement(measurement.shape(), measurement.tasks(),
          measurement.workers(), Phase.LIMIT));
      if (measurement.phase() != Phase.LIMIT && limits != null) {
        List<Double> ratios = new ArrayList<>();
        for (Sample run : runs) {
          for (Sample limit : limits) {
            if (limit.round() == run.round()) {
              ratios.add(run.wall() / limit.wall());
            }
          }
        }
        line.append(String.format(Locale.ROOT, " over_limit=%.2f", median(ratios)));
      }
      lines.add(line.toString());
    }
    return lines;
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
