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

  // Kept lines are written every 20 ms; the tests of keeping them take longer to look.
  private FingerprintJournal keeping(Path file) {
    return new FingerprintJournal(file, FingerprintJournal.Others.alone(alone::get), java.time.Duration.ofHours(1));
  }

  @Test
  void linesWhoseOutputsCanBeCheckedLaterAreWrittenTogetherWhileTheRunIsAlone() throws IOException {
    Path file = dir.resolve("records");
    try (FingerprintJournal journal = keeping(file)) {
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
    try (FingerprintJournal journal = keeping(file)) {
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
      assertThat(journal.bodyIs("/out/a", a, "A\tcity=Zürich\t\t")).isTrue();
      assertThat(journal.bodyIs("/out/a", a, "A\tcity=Zurich\t\t")).isFalse();
      assertThat(journal.bodyIs("/out/b", b, "B\tn=1\t\t")).isTrue();
      assertThat(journal.bodyIs("/out/b", b, "B\tn=1\t")).isFalse();
      assertThat(journal.bodyIs("/out/b", b, "B\tn=10\t\t")).isFalse();
      assertThat(journal.bodyIs("/out/b", b, "B\tn=é\t\t")).isFalse();
    }
  }

  @Test
  void aRunFindsWhatAnotherRecordedSinceItStartedOnlyOnceItReadsTheAppendedLines() throws IOException {
    Path file = dir.resolve("records");
    Files.writeString(file, "/out/a\tOLD\t\t\t\n");
    alone.set(false);
    try (FingerprintJournal mine = new FingerprintJournal(file, alone::get);
        FingerprintJournal other = new FingerprintJournal(file, alone::get)) {
      other.append("/out/a\tNEW\t\t\t\n", () -> true);
      other.append("/out/b\tB\t\t\t\n", () -> true);
      assertThat(mine.body("/out/a")).as("as read when the run started").isEqualTo("OLD\t\t\t");
      assertThat(mine.entry("/out/b")).isEqualTo(-1);

      mine.readAppended();

      assertThat(mine.body("/out/a")).isEqualTo("NEW\t\t\t");
      int b = mine.entry("/out/b");
      assertThat(b).isEqualTo(FingerprintJournal.APPENDED);
      assertThat(mine.bodyIs("/out/b", b, "B\t\t\t")).isTrue();
      assertThat(mine.bodyIs("/out/b", b, "C\t\t\t")).isFalse();
    }
  }

  @Test
  void aTornLastLineIsReadOnceItIsWhole() throws IOException {
    Path file = dir.resolve("records");
    Files.writeString(file, "/out/a\tA\t\t\t\n");
    try (FingerprintJournal journal = new FingerprintJournal(file, alone::get)) {
      Files.writeString(file, "/out/b\tB\t", java.nio.file.StandardOpenOption.APPEND);
      journal.readAppended();
      assertThat(journal.entry("/out/b")).isEqualTo(-1);

      Files.writeString(file, "\t\t\n", java.nio.file.StandardOpenOption.APPEND);
      journal.readAppended();

      assertThat(journal.body("/out/b")).isEqualTo("B\t\t\t");
    }
  }

  @Test
  void aFileReplacedByAnotherRunsCompactedCopyIsReadAgainFromItsStart() throws IOException {
    Path file = dir.resolve("records");
    Files.writeString(file, "/out/a\tA1\t\t\t\n/out/a\tA2\t\t\t\n/out/b\tB\t\t\t\n");
    try (FingerprintJournal journal = new FingerprintJournal(file, alone::get)) {
      Path copy = dir.resolve("records.new");
      Files.writeString(copy, "/out/a\tA3\t\t\t\n/out/c\tC\t\t\t\n");
      Files.move(copy, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      journal.readAppended();

      assertThat(journal.body("/out/a")).isEqualTo("A3\t\t\t");
      assertThat(journal.body("/out/c")).isEqualTo("C\t\t\t");
    }
  }

  @Test
  void aLineKeptWhileTheRunIsAloneIsWrittenWithinMomentsWithoutAnotherLineToWrite() throws Exception {
    Path file = dir.resolve("records");
    java.util.concurrent.atomic.AtomicBoolean keeping = new java.util.concurrent.atomic.AtomicBoolean();
    FingerprintJournal.Others others = new FingerprintJournal.Others() {
      @Override
      public boolean noneSinceJoining() {
        return true;
      }

      @Override
      public boolean keepRecords() {
        keeping.set(true);
        return true;
      }

      @Override
      public void recordsWritten() {
        keeping.set(false);
      }

      @Override
      public boolean awaitRecordsOfOthers(java.time.Duration limit) {
        return true;
      }
    };
    try (FingerprintJournal journal = new FingerprintJournal(file, others)) {
      journal.append("/out/a\tA\t\t\t\n", () -> true);
      // A run killed now loses this line only if it dies within moments: it is not kept for the next 32 KiB.
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (!Files.exists(file) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }

      assertThat(file).hasContent("/out/a\tA\t\t\t");
      assertThat(keeping).as("the others told it was written").isFalse();
    }
  }
  @Test
  void aLineWrittenAfterAnotherRunCompactedTheFileIsInTheCompactedFile() throws IOException {
    Path file = dir.resolve("records");
    alone.set(false);
    try (FingerprintJournal running = new FingerprintJournal(file, alone::get)) {
      running.append("/out/a\tA\t\t\t\n", () -> true);
      Files.writeString(file, "/out/x\tX\t\t\t\n".repeat(1100), java.nio.file.StandardOpenOption.APPEND);
      // Another run starts and finds most of the file superseded: it puts a compacted copy in place.
      new FingerprintJournal(file, alone::get).close();
      assertThat(Files.readAllLines(file)).hasSize(2);

      running.append("/out/b\tB\t\t\t\n", () -> true);
    }

    try (FingerprintJournal next = new FingerprintJournal(file, alone::get)) {
      assertThat(next.body("/out/x")).isEqualTo("X\t\t\t");
      assertThat(next.body("/out/a")).isEqualTo("A\t\t\t");
      assertThat(next.body("/out/b")).as("written after the copy was put in place").isEqualTo("B\t\t\t");
    }
  }

  @Test
  void linesWrittenWhileOtherRunsCompactTheFileAreAllKept() throws Exception {
    Path file = dir.resolve("records");
    alone.set(false);
    int writers = 3;
    int lines = 300;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
    try {
      java.util.List<java.util.concurrent.Future<?>> written = new java.util.ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        written.add(pool.submit(() -> {
          try (FingerprintJournal journal = new FingerprintJournal(file, alone::get)) {
            for (int i = 0; i < lines; i++) {
              journal.append("/out/" + writer + "-" + i + "\tW\t\t\t\n", () -> true);
              Thread.sleep(1);
            }
          }
          return null;
        }));
      }
      // Meanwhile, runs start on a file mostly superseded, and each compacts it.
      while (written.stream().anyMatch(f -> !f.isDone())) {
        try (FingerprintJournal padding = new FingerprintJournal(file, alone::get)) {
          for (int i = 0; i < 1100; i++) {
            padding.append("/out/pad\tP" + i + "\t\t\t\n", null);
          }
        }
        new FingerprintJournal(file, alone::get).close();
      }
      for (java.util.concurrent.Future<?> f : written) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    try (FingerprintJournal next = new FingerprintJournal(file, alone::get)) {
      java.util.List<String> lost = new java.util.ArrayList<>();
      for (int w = 0; w < writers; w++) {
        for (int i = 0; i < lines; i++) {
          if (next.body("/out/" + w + "-" + i) == null) {
            lost.add(w + "-" + i);
          }
        }
      }
      assertThat(lost).isEmpty();
    }
  }
}
