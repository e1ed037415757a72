package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListedEntriesTest {

  @Test
  void aCopyHoldsTheEntriesInTheOrderTheyWereAdded() {
    ListedEntries<String, Integer> entries = new ListedEntries<>(3);
    entries.add("c", 3);
    entries.add("a", 1);
    entries.add("b", 2);

    Map<String, Integer> copy = new LinkedHashMap<>(entries);

    assertThat(copy).containsExactly(Map.entry("c", 3), Map.entry("a", 1), Map.entry("b", 2));
    assertThat(entries.values()).containsExactly(3, 1, 2);
    assertThat(entries).isEqualTo(Map.of("a", 1, "b", 2, "c", 3));
  }

  @Test
  void noEntriesCopyAsAnEmptyMap() {
    assertThat(new LinkedHashMap<>(new ListedEntries<String, String>(0))).isEmpty();
  }
}
