package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fingerprint records: kept and written many at a time while the run is alone, never claiming outputs built again by another. */
class FingerprintJournalTest {

  @TempDir Path dir;

  private final AtomicBoolean alone = new AtomicBoolean(true);

  @Test
  void linesWhoseOutputsCanBeCheckedLaterAreWrittenTogetherWhileTheRunIsAlone() throws IOException {
    Path file = dir.resolve("records");
    try (FingerprintJournal journal = new FingerprintJournal(file, alone::get)) {
      journal.append("/out/a\tA\t\t\t\n", () -> true);
      journal.append("/out/b\tB\t\t\t\n", () -> true);
      assertThat(file).doesNotExist();
    }

    assertThat(Files.readString(file)).isEqualTo("/out/a\tA\t\t\t\n/out/b\tB\t\t\t\n");
    try (FingerprintJournal next = new FingerprintJournal(file, alone::get)) {
      assertThat(next.body("/out/b")).isEqualTo("B\t\t\t");
    }
  }

  @Test
  void aLineWhoseOutputsCannotBeCheckedLaterIsWrittenAtOnce() throws IOException {
    Path file = dir.resolve("records");
    try (FingerprintJournal journal = new FingerprintJournal(file, alone::get)) {
      journal.append("/out/a\tA\t\t\t\n", () -> true);
      journal.append("/out/p\tP\t\t\t\n", null);

      assertThat(Files.readString(file)).isEqualTo("/out/a\tA\t\t\t\n/out/p\tP\t\t\t\n");
    }
  }

  @Test
  void onceAnotherRunMayHaveJoinedAKeptLineIsWrittenOnlyIfItsOutputsAreStillInPlace() throws IOException {
    Path file = dir.resolve("records");
    try (FingerprintJournal journal = new FingerprintJournal(file, alone::get)) {
      journal.append("/out/kept\tOLD\t\t\t\n", () -> true);
      journal.append("/out/rebuilt\tOLD\t\t\t\n", () -> false);
      // Another run joins, builds /out/rebuilt again and records it; this run's older line must not follow it.
      alone.set(false);
      Files.writeString(file, "/out/rebuilt\tNEW\t\t\t\n");
      journal.append("/out/c\tC\t\t\t\n", () -> true);
    }

    assertThat(Files.readString(file)).isEqualTo("/out/rebuilt\tNEW\t\t\t\n/out/kept\tOLD\t\t\t\n/out/c\tC\t\t\t\n");
    try (FingerprintJournal next = new FingerprintJournal(file, alone::get)) {
      assertThat(next.body("/out/rebuilt")).isEqualTo("NEW\t\t\t");
    }
  }

  @Test
  void aRecordedBodyIsComparedAsTheBytesReadWhateverItsCharacters() throws IOException {
    Path file = dir.resolve("records");
    Files.writeString(file, "/out/a\tA\tcity=Zürich\t\t\n/out/b\tB\tn=1\t\t\n");
    try (FingerprintJournal journal = new FingerprintJournal(file, alone::get)) {
      int a = journal.entry("/out/a");
      int b = journal.entry("/out/b");

      assertThat(journal.entry("/out/c")).isEqualTo(-1);
      assertThat(journal.bodyIs(a, "A\tcity=Zürich\t\t")).isTrue();
      assertThat(journal.bodyIs(a, "A\tcity=Zurich\t\t")).isFalse();
      assertThat(journal.bodyIs(b, "B\tn=1\t\t")).isTrue();
      assertThat(journal.bodyIs(b, "B\tn=1\t")).isFalse();
      assertThat(journal.bodyIs(b, "B\tn=10\t\t")).isFalse();
      assertThat(journal.bodyIs(b, "B\tn=é\t\t")).isFalse();
    }
  }
}
