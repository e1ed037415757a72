package io.sluice.examples.ensemble;

import java.util.List;

/**
 * How well one model's predicted species match the actual ones: the confusion matrix and what
 * follows from it. A species' precision, recall or F1 is 0 when its denominator is; macro F1 is
 * the unweighted mean of the species' F1.
 *
 * @param classes the species, in the order of the matrix
 * @param confusion counts by actual species (row), then predicted species (column)
 */
public record Scores(List<String> classes, long[][] confusion) {

  /** Scores predictions; every label must be one of {@code classes}. */
  public static Scores of(List<String> classes, List<String> actual, List<String> predicted) {
    if (actual.size() != predicted.size()) {
      throw new IllegalArgumentException(actual.size() + " actual labels but " + predicted.size() + " predicted");
    }
    long[][] confusion = new long[classes.size()][classes.size()];
    for (int i = 0; i < actual.size(); i++) {
      confusion[index(classes, actual.get(i))][index(classes, predicted.get(i))]++;
    }
    return new Scores(List.copyOf(classes), confusion);
  }

  private static int index(List<String> classes, String label) {
    int index = classes.indexOf(label);
    if (index < 0) {
      throw new IllegalArgumentException("label '" + label + "' is not one of " + classes);
    }
    return index;
  }

  public long total() {
    long total = 0;
    for (long[] row : confusion) {
      for (long count : row) {
        total += count;
      }
    }
    return total;
  }

  public long correct() {
    long correct = 0;
    for (int c = 0; c < confusion.length; c++) {
      correct += confusion[c][c];
    }
    return correct;
  }

  public double accuracy() {
    return ratio(correct(), total());
  }

  /** Of the birds predicted as species {@code c}, the share that are. */
  public double precision(int c) {
    long predicted = 0;
    for (long[] row : confusion) {
      predicted += row[c];
    }
    return ratio(confusion[c][c], predicted);
  }

  /** Of the birds of species {@code c}, the share predicted as such. */
  public double recall(int c) {
    long actual = 0;
    for (long count : confusion[c]) {
      actual += count;
    }
    return ratio(confusion[c][c], actual);
  }

  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  public double macroF1() {
    double sum = 0;
    for (int c = 0; c < classes.size(); c++) {
      sum += f1(c);
    }
    return sum / classes.size();
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
