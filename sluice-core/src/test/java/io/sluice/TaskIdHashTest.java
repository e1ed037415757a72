package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskIdHashTest {

  @Test
  void idsOfAGridOfTwoIntParametersHaveNearlyAllDistinctHashes() {
    // The shape of the benchmark's diamond: ten layers of 10,000 tasks.
    Set<Integer> hashes = new HashSet<>();
    for (int layer = 0; layer < 10; layer++) {
      for (int index = 0; index < 10_000; index++) {
        hashes.add(new TaskId("Cell", ordered("layer", layer, "index", index)).hashCode());
      }
    }
    assertThat(hashes.size()).isGreaterThan(99_000);
  }

  @Test
  void equalIdsWithParametersInAnotherOrderHaveTheSameHash() {
    TaskId one = new TaskId("Fit", ordered("alpha", 0.5, "date", "2024-01-01"));
    TaskId other = new TaskId("Fit", ordered("date", "2024-01-01", "alpha", 0.5));

    assertThat(one).isEqualTo(other);
    assertThat(one.hashCode()).isEqualTo(other.hashCode());
  }

  @Test
  void idsOfOneParameterKeepTheRecordsPlainHashWhoseConsecutiveValuesAMapWalksInOrder() {
    Map<String, Object> params = Map.of("index", 41);

    assertThat(new TaskId("Link", params).hashCode()).isEqualTo(31 * "Link".hashCode() + params.hashCode());
  }

  @Test
  void idsOfDifferentFamiliesWithTheSameParametersHashApart() {
    assertThat(new TaskId("Fit", Map.of("n", 1)).hashCode()).isNotEqualTo(new TaskId("Score", Map.of("n", 1)).hashCode());
  }

  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(k1, v1);
    map.put(k2, v2);
    return map;
  }
}
