package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.TaskId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFilesTest {

  @Test
  void aNameKeepsTheSafeCharactersAndReplacesEachOtherCharacterByOneUnderscore() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("path", "data/raw file.csv");
    params.put("emoji", "a\uD83D\uDE00b");
    params.put("alpha", 0.5);

    String name = LogFiles.name(new TaskId("FitModel", params));

    assertThat(name).startsWith("FitModel-path_data_raw_file.csv-emoji_a_b-alpha_0.5-")
        .endsWith(".log")
        .matches("[A-Za-z0-9._-]+");
  }

  @Test
  void theReadablePartIsCutAtEightyCharactersAndTheHashKeepsLongNamesApart() {
    TaskId one = new TaskId("Train", Map.of("note", "x".repeat(200) + "1"));
    TaskId two = new TaskId("Train", Map.of("note", "x".repeat(200) + "2"));

    String first = LogFiles.name(one);

    assertThat(first).hasSize(80 + 1 + 8 + 4);
    assertThat(first.substring(0, 80)).isEqualTo(LogFiles.name(two).substring(0, 80));
    assertThat(first).isNotEqualTo(LogFiles.name(two));
  }

  @Test
  void theHashIsTheIdsHashInEightHexDigits() {
    TaskId id = new TaskId("A", Map.of());

    String name = LogFiles.name(id);

    assertThat(name).isEqualTo("A-" + String.format("%08x", id.toString().hashCode()) + ".log");
  }
}
