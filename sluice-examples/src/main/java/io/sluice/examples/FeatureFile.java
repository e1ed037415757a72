package io.sluice.examples;

import io.sluice.LocalTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

/**
 * The features file as the model sees it: each row's id, species (the label), split and feature
 * values, the feature columns being every column after the leading three.
 *
 * @param featureNames the feature columns, in file order
 * @param rows every row
 */
public record FeatureFile(List<String> featureNames, List<Row> rows) {

  /** The columns before the features, written by {@link ExtractFeatures}. */
  static final List<String> LEADING_COLUMNS = List.of("id", "species", "split");

  /**
   * One row of the features file.
   *
   * @param id the bird's id
   * @param species its species, the label to predict
   * @param split "train" or "test"
   * @param values its feature values, in the order of the feature names
   */
  public record Row(String id, String species, String split, double[] values) {}

  public static FeatureFile read(LocalTarget file) throws IOException {
    Csv.Table table;
    try (BufferedReader in = file.openReader()) {
      table = Csv.read(in, file.toString());
    }
    if (!table.header().subList(0, Math.min(3, table.header().size())).equals(LEADING_COLUMNS)) {
      throw new IOException(file + " must start with the columns " + LEADING_COLUMNS + ", not " + table.header());
    }
    List<String> names = table.header().subList(LEADING_COLUMNS.size(), table.header().size());
    List<Row> rows = new ArrayList<>();
    for (List<String> record : table.rows()) {
      double[] values = new double[names.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = Double.parseDouble(record.get(LEADING_COLUMNS.size() + i));
      }
      rows.add(new Row(record.get(0), record.get(1), record.get(2), values));
    }
    return new FeatureFile(List.copyOf(names), List.copyOf(rows));
  }

  /** The rows of one split, in file order. */
  public List<Row> split(String split) {
    List<Row> selected = rows.stream().filter(row -> row.split().equals(split)).toList();
    if (selected.isEmpty()) {
      throw new IllegalStateException("the features file has no '" + split + "' rows");
    }
    return selected;
  }

  /** A Tribuo example of one row, labelled with its species. */
  public Example<Label> example(Row row) {
    return new ArrayExample<>(new Label(row.species()), featureNames.toArray(String[]::new), row.values());
  }
}
