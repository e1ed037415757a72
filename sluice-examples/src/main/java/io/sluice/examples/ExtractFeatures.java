package io.sluice.examples;

import io.sluice.Description;
import io.sluice.LocalTarget;
import io.sluice.Param;
import io.sluice.Task;
import io.sluice.TaskContext;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns clean penguin rows into model features: the four body measurements standardised, island
 * and sex one-hot encoded, and each row assigned to the train or test split by a seeded shuffle
 * within each species.
 *
 * @param testFraction the share of each species held out for testing
 * @param seed the seed of the shuffle that picks the test rows
 */
@Description("Standardises measurements, one-hot encodes island and sex, splits train/test")
public record ExtractFeatures(
    @Param(defaultValue = "0.25", description = "share of each species held out for testing") double testFraction,
    @Param(defaultValue = "42", description = "seed of the shuffle that picks the test rows") long seed)
    implements Task {

  private static final List<String> MEASUREMENTS =
      List.of("culmen_length_mm", "culmen_depth_mm", "flipper_length_mm", "body_mass_g");
  private static final List<String> SEXES = List.of("female", "male", "unknown");

  public ExtractFeatures {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("testFraction is " + testFraction + "; it must be between 0 and 1, exclusive");
    }
  }

  @Override
  public List<Task> requires() {
    return List.of(new CleanData());
  }

  @Override
  public LocalTarget output() {
    return LocalTarget.of("penguin_pipeline", "features.csv");
  }

  @Override
  public void run(TaskContext ctx) throws IOException {
    LocalTarget cleanFile = ctx.input();
    Csv.Table clean;
    try (BufferedReader in = cleanFile.openReader()) {
      clean = Csv.read(in, cleanFile.toString());
    }
    int id = clean.column("id");
    int species = clean.column("species");
    int island = clean.column("island");
    int sex = clean.column("sex");
    int[] measured = MEASUREMENTS.stream().mapToInt(clean::column).toArray();

    boolean[] test = split(clean.rows().stream().map(r -> r.get(id)).toList(),
        clean.rows().stream().map(r -> r.get(species)).toList());
    // Means and deviations come from the training rows only, so nothing of the test rows leaks
    // into the features the model is trained on.
    double[] means = new double[measured.length];
    double[] stds = new double[measured.length];
    for (int m = 0; m < measured.length; m++) {
      List<Double> train = new ArrayList<>();
      for (int r = 0; r < clean.rows().size(); r++) {
        if (!test[r]) {
          train.add(Double.parseDouble(clean.rows().get(r).get(measured[m])));
        }
      }
      means[m] = train.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double mean = means[m];
      double squares = train.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
      stds[m] = Math.sqrt(squares / Math.max(1, train.size() - 1));
      if (stds[m] == 0) {
        stds[m] = 1;
      }
      ctx.log().info("{}: train mean {}, standard deviation {}", MEASUREMENTS.get(m), means[m], stds[m]);
    }
    List<String> islands = new ArrayList<>(new TreeSet<>(clean.rows().stream().map(r -> r.get(island)).toList()));

    List<String> header = new ArrayList<>(FeatureFile.LEADING_COLUMNS);
    header.addAll(MEASUREMENTS.stream().map(m -> m.substring(0, m.lastIndexOf('_'))).toList());
    islands.forEach(name -> header.add("island_" + name));
    SEXES.forEach(name -> header.add("sex_" + name));
    int testRows = 0;
    try (BufferedWriter out = output().openWriter()) {
      Csv.writeRecord(out, header);
      for (int r = 0; r < clean.rows().size(); r++) {
        List<String> row = clean.rows().get(r);
        List<String> fields = new ArrayList<>(List.of(row.get(id), row.get(species), test[r] ? "test" : "train"));
        for (int m = 0; m < measured.length; m++) {
          fields.add(Double.toString((Double.parseDouble(row.get(measured[m])) - means[m]) / stds[m]));
        }
        islands.forEach(name -> fields.add(name.equals(row.get(island)) ? "1" : "0"));
        SEXES.forEach(name -> fields.add(name.equals(row.get(sex)) ? "1" : "0"));
        Csv.writeRecord(out, fields);
        testRows += test[r] ? 1 : 0;
      }
    }
    ctx.log().info("{} rows: {} train, {} test; {} features", clean.rows().size(),
        clean.rows().size() - testRows, testRows, header.size() - FeatureFile.LEADING_COLUMNS.size());
  }

  /**
   * Which rows are test rows: within each species (taken in name order), the rows sorted by id
   * are shuffled with the seed and the first {@code round(n * testFraction)} go to test. The
   * split depends only on the data and the parameters, never on the row order of the file.
   */
  boolean[] split(List<String> ids, List<String> species) {
    Map<String, List<Integer>> bySpecies = new TreeMap<>();
    for (int r = 0; r < ids.size(); r++) {
      bySpecies.computeIfAbsent(species.get(r), k -> new ArrayList<>()).add(r);
    }
    Random random = new Random(seed);
    boolean[] test = new boolean[ids.size()];
    for (List<Integer> rows : bySpecies.values()) {
      rows.sort(Comparator.comparing(ids::get));
      Collections.shuffle(rows, random);
      long testCount = Math.round(rows.size() * testFraction);
      for (int i = 0; i < testCount; i++) {
        test[rows.get(i)] = true;
      }
    }
    return test;
  }
}
