package io.sluice.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunIdsTest {

  @Test
  void idsStartWithTheirStartInUtcAndHaveTheFormTheyAreCheckedAgainst() {
    DateTimeFormatter stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    Random random = new Random(7);
    for (Instant start : new Instant[] {Instant.parse("2026-11-30T18:15:02.999Z"), Instant.EPOCH,
        Instant.parse("2000-02-29T00:00:00Z"), Instant.parse("1999-12-31T23:59:59Z")}) {
      String id = RunIds.next(start, random);
      assertThat(id).startsWith(stamp.format(start) + "-");
      assertThat(RunIds.valid(id)).as(id).isTrue();
    }
  }
}
