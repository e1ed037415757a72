package io.sluice.examples;

import io.sluice.Description;
import io.sluice.LocalTarget;
import io.sluice.Task;
import io.sluice.TaskContext;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the raw penguin table into one tidy row per bird: rows without all four body
 * measurements are dropped, species become Adelie, Chinstrap or Gentoo, and sex male, female or
 * unknown.
 */
@Description("Cleans the raw penguin table: drops rows missing measurements, normalises species and sex")
public record CleanData() implements Task {

  /** The columns of {@code clean.csv}. */
  static final List<String> HEADER = List.of(
      "id", "species", "island", "sex", "culmen_length_mm", "culmen_depth_mm", "flipper_length_mm", "body_mass_g");

  private static final List<String> MEASUREMENTS = List.of(
      "Culmen Length (mm)", "Culmen Depth (mm)", "Flipper Length (mm)", "Body Mass (g)");

  @Override
  public List<Task> requires() {
    return List.of(new RawPenguins());
  }

  @Override
  public LocalTarget output() {
    return LocalTarget.of("penguin_pipeline", "clean.csv");
  }

  @Override
  public void run(TaskContext ctx) throws IOException {
    LocalTarget raw = ctx.input();
    Csv.Table table;
    try (BufferedReader in = raw.openReader()) {
      table = Csv.read(in, raw.toString());
    }
    Cleaned cleaned = clean(table);
    try (BufferedWriter out = output().openWriter()) {
      Csv.writeRecord(out, HEADER);
      for (List<String> row : cleaned.rows()) {
        Csv.writeRecord(out, row);
      }
    }
    int dropped = table.rows().size() - cleaned.rows().size();
    ctx.log().info("Kept {} of {} rows of {}; dropped {}{}", cleaned.rows().size(), table.rows().size(), raw,
        dropped, dropped == 0 ? "" : ": " + describe(cleaned.dropped()));
    if (!cleaned.unknownSex().isEmpty()) {
      ctx.log().info("Sex unknown for {} kept rows (raw values: {})",
          cleaned.unknownSex().values().stream().mapToInt(Integer::intValue).sum(), describe(cleaned.unknownSex()));
    }
  }

  /**
   * The result of cleaning.
   *
   * @param rows the kept rows, in the columns of {@link #HEADER}
   * @param dropped how many rows were dropped, by reason
   * @param unknownSex how many kept rows have sex unknown, by raw value
   */
  record Cleaned(List<List<String>> rows, Map<String, Integer> dropped, Map<String, Integer> unknownSex) {}

  /** Cleans a raw table; the columns are found by their names in the header. */
  static Cleaned clean(Csv.Table raw) {
    int study = raw.column("studyName");
    int individual = raw.column("Individual ID");
    int species = raw.column("Species");
    int island = raw.column("Island");
    int sex = raw.column("Sex");
    int[] measurements = MEASUREMENTS.stream().mapToInt(raw::column).toArray();

    List<List<String>> kept = new ArrayList<>();
    Map<String, Integer> dropped = new LinkedHashMap<>();
    Map<String, Integer> unknownSex = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    for (List<String> row : raw.rows()) {
      List<String> missing = new ArrayList<>();
      List<String> values = new ArrayList<>();
      String unreadable = null;
      for (int i = 0; i < measurements.length; i++) {
        String value = row.get(measurements[i]).strip();
        if (isMissing(value)) {
          missing.add(MEASUREMENTS.get(i));
        } else if (!isNumber(value)) {
          unreadable = "unreadable " + MEASUREMENTS.get(i);
        }
        values.add(value);
      }
      String id = row.get(study).strip() + "-" + row.get(individual).strip();
      Optional<String> normalSpecies = species(row.get(species));
      String islandName = row.get(island).strip();
      String reason = !missing.isEmpty() ? "missing " + String.join(", ", missing)
          : unreadable != null ? unreadable
          : normalSpecies.isEmpty() ? "unknown species '" + row.get(species).strip() + "'"
          : isMissing(islandName) ? "missing Island"
          : !ids.add(id) ? "duplicate id " + id
          : null;
      if (reason != null) {
        dropped.merge(reason, 1, Integer::sum);
        continue;
      }
      String normalSex = sex(row.get(sex));
      if (normalSex.equals("unknown")) {
        unknownSex.merge("'" + row.get(sex).strip() + "'", 1, Integer::sum);
      }
      List<String> clean = new ArrayList<>(List.of(id, normalSpecies.get(), islandName, normalSex));
      clean.addAll(values);
      kept.add(clean);
    }
    return new Cleaned(kept, dropped, unknownSex);
  }

  /** Adelie, Chinstrap or Gentoo from names like "Adelie Penguin (Pygoscelis adeliae)". */
  static Optional<String> species(String raw) {
    String plain = Normalizer.normalize(raw, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
    if (plain.contains("adelie")) {
      return Optional.of("Adelie");
    }
    if (plain.contains("chinstrap")) {
      return Optional.of("Chinstrap");
    }
    if (plain.contains("gentoo")) {
      return Optional.of("Gentoo");
    }
    return Optional.empty();
  }

  /** male, female or unknown (for NA, blanks and anything unrecognised such as "."). */
  static String sex(String raw) {
    return switch (raw.strip().toLowerCase(Locale.ROOT)) {
      case "male", "m" -> "male";
      case "female", "f" -> "female";
      default -> "unknown";
    };
  }

  private static boolean isMissing(String value) {
    return value.isEmpty() || value.equalsIgnoreCase("NA");
  }

  private static boolean isNumber(String value) {
    try {
      return Double.isFinite(Double.parseDouble(value));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String describe(Map<String, Integer> counts) {
    return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining("; "));
  }
}
