package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediansTest {

  private static final Measurement COLD = new Measurement(Shape.FANIN, 10_000, 2, Phase.COLD);
  private static final Measurement LIMIT = new Measurement(Shape.FANIN, 10_000, 2, Phase.LIMIT);

  @Test
  void aHistoryIsComparedWithTheRunWithoutOneOfTheSameRound() {
    Medians medians = new Medians();
    // The machine slows down threefold in round 2: the ratios within rounds stay 1.10, 1.20, 1.05.
    double[][] rounds = {{1.00, 1.10}, {3.00, 3.60}, {1.20, 1.26}};
    for (int round = 1; round <= rounds.length; round++) {
      medians.add(COLD, HistoryMode.OFF, round, "shape=fanin wall_s=" + rounds[round - 1][0] + " cpu_s=1.0");
      medians.add(COLD, HistoryMode.EXISTING, round, "shape=fanin wall_s=" + rounds[round - 1][1] + " cpu_s=1.2");
      medians.add(LIMIT, null, round, "shape=fanin wall_s=0.5");
    }

    assertThat(medians.lines()).containsExactly(
        "median shape=fanin tasks=10000 workers=2 phase=cold history=off runs=3 wall_s=1.200 [1.000-3.000]"
            + " cpu_s=1.00 over_limit=2.40",
        "median shape=fanin tasks=10000 workers=2 phase=cold history=existing runs=3 wall_s=1.260 [1.100-3.600]"
            + " cpu_s=1.20 over_limit=2.52 over_no_history=1.100",
        "median shape=fanin tasks=10000 workers=2 phase=limit runs=3 wall_s=0.500 [0.500-0.500]");
  }

  @Test
  void withoutHistoryTheLinesAreAsBeforeAndWhatWasNotMeasuredIsLeftOut() {
    Medians medians = new Medians();
    medians.add(COLD, null, 1, "wall_s=1.0 rss_mb=120");
    medians.add(LIMIT, null, 1, "wall_s=0.5");

    assertThat(medians.lines().get(0))
        .isEqualTo("median shape=fanin tasks=10000 workers=2 phase=cold runs=1 wall_s=1.000 [1.000-1.000]"
            + " rss_mb=120 over_limit=2.00");
  }

  @Test
  void aPolicyIsComparedWithExistsOfTheSameRound() {
    Medians medians = new Medians();
    // The machine slows down twofold in round 3: the ratios within rounds stay 1.30, 1.10, 1.20 (wall)
    // and 1.25, 1.05, 1.15 (CPU).
    double[][] rounds = {{1.00, 1.30, 2.00, 2.50}, {1.00, 1.10, 2.00, 2.10}, {2.00, 2.40, 4.00, 4.60}};
    for (int round = 1; round <= rounds.length; round++) {
      double[] r = rounds[round - 1];
      medians.add(COLD, "exists", null, round, "wall_s=" + r[0] + " cpu_s=" + r[2]);
      medians.add(COLD, "fingerprint", null, round, "wall_s=" + r[1] + " cpu_s=" + r[3]);
      medians.add(LIMIT, null, null, round, "wall_s=0.5");
    }

    assertThat(medians.lines()).containsExactly(
        "median shape=fanin tasks=10000 workers=2 phase=cold policy=exists runs=3 wall_s=1.000 [1.000-2.000]"
            + " cpu_s=2.00 over_limit=2.00",
        "median shape=fanin tasks=10000 workers=2 phase=cold policy=fingerprint runs=3 wall_s=1.300"
            + " [1.100-2.400] cpu_s=2.50 over_limit=2.60 over_exists=1.200 cpu_over_exists=1.150",
        "median shape=fanin tasks=10000 workers=2 phase=limit runs=3 wall_s=0.500 [0.500-0.500]");
  }

  @Test
  void aPolicyUnderAHistoryIsComparedWithExistsUnderTheSameHistory() {
    Medians medians = new Medians();
    medians.add(COLD, "exists", HistoryMode.OFF, 1, "wall_s=1.0");
    medians.add(COLD, "fingerprint", HistoryMode.OFF, 1, "wall_s=1.2");
    medians.add(COLD, "exists", HistoryMode.EXISTING, 1, "wall_s=2.0");
    medians.add(COLD, "fingerprint", HistoryMode.EXISTING, 1, "wall_s=3.0");

    assertThat(medians.lines().get(3)).isEqualTo("median shape=fanin tasks=10000 workers=2 phase=cold"
        + " policy=fingerprint history=existing runs=1 wall_s=3.000 [3.000-3.000]"
        + " over_no_history=2.500 over_exists=1.500");
  }
}
