package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs appear whole when their task succeeds, or not at all. */
class AtomicOutputTest {

  static Path dir;
  static final List<String> seenWhileRunning = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    seenWhileRunning.clear();
  }

  /** Writes half its output, looks at the directory, then fails. */
  record HalfWritten() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("result.txt"));
    }

    public void run(TaskContext ctx) throws IOException {
      try (BufferedWriter out = output().openWriter()) {
        out.write("first half");
      }
      seenWhileRunning.addAll(TestFiles.under(dir));
      throw new IOException("disk on fire");
    }
  }

  /** Writes its output straight to its path (around the target), then fails or not. */
  record StraightToItsPlace(boolean fails) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("result.txt"));
    }

    public void run(TaskContext ctx) throws IOException {
      java.nio.file.Files.writeString(output().path(), "maybe half");
      if (fails) {
        throw new IOException("disk on fire");
      }
    }
  }

  /** Writes the first of its two outputs through its target, the second straight to its path, then fails. */
  record OneThroughOneAround() implements Task {
    public List<LocalTarget> outputs() {
      return List.of(LocalTarget.of(dir.resolve("a.txt")), LocalTarget.of(dir.resolve("b.txt")));
    }

    public void run(TaskContext ctx) throws IOException {
      outputs().get(0).writeString("a");
      java.nio.file.Files.writeString(outputs().get(1).path(), "b");
      throw new IOException("failed after both");
    }
  }

  /** Writes its output and looks at the directory before returning. */
  record Written(String content) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("result.txt"));
    }

    public void run(TaskContext ctx) throws IOException {
      output().writeString(content);
      seenWhileRunning.addAll(TestFiles.under(dir));
    }
  }

  /** Writes the first of its two outputs, then fails. */
  record TwoOutputs() implements Task {
    public List<LocalTarget> outputs() {
      return List.of(LocalTarget.of(dir.resolve("a.txt")), LocalTarget.of(dir.resolve("b.txt")));
    }

    public void run(TaskContext ctx) throws IOException {
      outputs().get(0).writeString("a");
      throw new IOException("b could not be written");
    }
  }

  /** Declares an output but never writes it. */
  record Forgetful() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("forgotten.txt"));
    }

    public void run(TaskContext ctx) {}
  }

  /** Writes the first of its two outputs and returns normally, forgetting the second. */
  record WritesOneOfTwo() implements Task {
    public List<LocalTarget> outputs() {
      return List.of(LocalTarget.of(dir.resolve("a.txt")), LocalTarget.of(dir.resolve("b.txt")));
    }

    public void run(TaskContext ctx) throws IOException {
      outputs().get(0).writeString("a");
    }
  }

  /** Opens a writer, writes, and returns without closing it. */
  record NeverCloses() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("result.txt"));
    }

    public void run(TaskContext ctx) throws IOException {
      BufferedWriter out = output().openWriter();
      out.write("buffered but never flushed");
    }
  }

  private static Sluice sluice(boolean force) {
    return Sluice.builder().stateDir(dir.resolve(".sluice")).force(force).build();
  }

  @Test
  void writesGoToAHiddenTemporaryFileUntilTheTaskSucceeds() {
    RunResult result = sluice(false).run(new Written("hello"));

    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(seenWhileRunning).singleElement().asString().matches("\\.result\\.txt\\.sluice-.*\\.tmp");
    assertThat(TestFiles.under(dir)).containsExactly("result.txt");
    assertThat(TestFiles.read(dir.resolve("result.txt"))).isEqualTo("hello");
  }

  @Test
  void failedTaskLeavesNeitherItsOutputNorItsTemporaryFile() {
    RunResult result = sluice(false).run(new HalfWritten());

    assertThat(result.status(new HalfWritten())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new HalfWritten().id())).isEqualTo("IOException: disk on fire");
    assertThat(seenWhileRunning).as("the half-written temporary file existed while the task ran")
        .singleElement().asString().startsWith(".result.txt.sluice-");
    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void anOutputWrittenStraightToItsPlaceByAFailedTaskIsRemovedSoTheNextRunRunsItAgain() {
    RunResult first = sluice(false).run(new StraightToItsPlace(true));

    assertThat(first.status(new StraightToItsPlace(true))).isEqualTo(TaskStatus.FAILED);
    assertThat(first.reasons().get(new StraightToItsPlace(true).id())).isEqualTo("IOException: disk on fire");
    assertThat(TestFiles.under(dir)).isEmpty();

    RunResult second = sluice(false).run(new StraightToItsPlace(true));
    assertThat(second.status(new StraightToItsPlace(true))).as("run again, not taken as done").isEqualTo(TaskStatus.FAILED);
  }

  @Test
  void anOutputWrittenStraightToItsPlaceIsNotTakenAndTheTaskFailsTheSameWayEachRun() {
    for (int run = 0; run < 2; run++) {
      RunResult result = sluice(false).run(new StraightToItsPlace(false));

      assertThat(result.status(new StraightToItsPlace(false))).isEqualTo(TaskStatus.FAILED);
      assertThat(result.reasons().get(new StraightToItsPlace(false).id()))
          .contains("run() wrote " + dir.resolve("result.txt") + " straight to its place")
          .contains("removed").contains("openWriter()").contains("writePath()");
      assertThat(TestFiles.under(dir)).isEmpty();
    }
  }

  @Test
  void outputsOfAFailedTaskAreAllOrNothingWhicheverWayTheyWereWritten() {
    RunResult result = sluice(false).run(new OneThroughOneAround());

    assertThat(result.status(new OneThroughOneAround())).isEqualTo(TaskStatus.FAILED);
    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void aForcedRerunThatFailsLeavesTheOutputItFoundThere() {
    sluice(false).run(new Written("old"));

    RunResult forced = sluice(true).run(new HalfWritten());

    assertThat(forced.status(new HalfWritten())).isEqualTo(TaskStatus.FAILED);
    assertThat(TestFiles.read(dir.resolve("result.txt"))).isEqualTo("old");
  }

  @Test
  void outputsOfAFailedTaskAreAllOrNothing() {
    RunResult result = sluice(false).run(new TwoOutputs());

    assertThat(result.status(new TwoOutputs())).isEqualTo(TaskStatus.FAILED);
    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void outputWrittenBeforeReturningWithoutTheSecondIsNotKept() {
    RunResult result = sluice(false).run(new WritesOneOfTwo());

    assertThat(result.status(new WritesOneOfTwo())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new WritesOneOfTwo().id())).contains("without writing its output")
        .contains("b.txt").doesNotContain("a.txt");
    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void writerNeverClosedFailsTheTaskAndLeavesNoFile() {
    RunResult result = sluice(false).run(new NeverCloses());

    assertThat(result.status(new NeverCloses())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new NeverCloses().id())).contains("result.txt").contains("still open");
    assertThat(TestFiles.under(dir)).isEmpty();
    assertThat(new NeverCloses().complete()).as("the next run tries again").isFalse();
  }

  @Test
  void forcedRerunThatWritesNothingFailsAndKeepsTheOldOutput() {
    TestFiles.write(dir.resolve("forgotten.txt"), "old");

    RunResult result = sluice(true).run(new Forgetful());

    assertThat(result.status(new Forgetful())).isEqualTo(TaskStatus.FAILED);
    assertThat(TestFiles.read(dir.resolve("forgotten.txt"))).isEqualTo("old");
  }

  @Test
  void taskThatDoesNotWriteItsOutputFails() {
    RunResult result = sluice(false).run(new Forgetful());

    assertThat(result.status(new Forgetful())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new Forgetful().id())).contains("without writing its output")
        .contains("forgotten.txt");
  }

  @Test
  void forcedRerunReplacesTheOldOutput() {
    TestFiles.write(dir.resolve("result.txt"), "old");

    RunResult result = sluice(true).run(new Written("new"));

    assertThat(result.status(new Written("new"))).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.read(dir.resolve("result.txt"))).isEqualTo("new");
    assertThat(seenWhileRunning).as("the old output stayed readable while the new one was written")
        .contains("result.txt");
    assertThat(TestFiles.under(dir)).containsExactly("result.txt");
  }

  @Test
  void failedForcedRerunLeavesTheOldOutputIntact() {
    TestFiles.write(dir.resolve("result.txt"), "old");

    RunResult result = sluice(true).run(new HalfWritten());

    assertThat(result.status(new HalfWritten())).isEqualTo(TaskStatus.FAILED);
    assertThat(TestFiles.read(dir.resolve("result.txt"))).isEqualTo("old");
    assertThat(TestFiles.under(dir)).containsExactly("result.txt");
  }

  @Test
  void writesOutsideATaskAreCommittedWhenTheStreamCloses() throws IOException {
    LocalTarget target = LocalTarget.of(dir.resolve("sub/plain.txt"));
    try (BufferedWriter out = target.openWriter()) {
      out.write("line one\nline two\n");
      assertThat(target.exists()).isFalse();
    }

    assertThat(target.readLines()).containsExactly("line one", "line two");
    assertThat(TestFiles.under(dir)).containsExactly("sub", "sub/plain.txt");
  }

  @Test
  void writeOutsideATaskThatThrowsLeavesNothing() {
    LocalTarget target = LocalTarget.of(dir.resolve("plain.txt"));

    assertThatThrownBy(() -> target.write(out -> {
      out.write("first half\n");
      throw new IOException("second half unavailable");
    })).hasMessage("second half unavailable");

    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void writeOutsideATaskIsKeptWhenTheCodeReturnsEvenIfItClosedTheWriter() throws IOException {
    LocalTarget target = LocalTarget.of(dir.resolve("plain.txt"));

    target.write(out -> {
      try (out) {
        out.write("all of it");
      }
    });

    assertThat(TestFiles.under(dir)).containsExactly("plain.txt");
    assertThat(target.readString()).isEqualTo("all of it");
  }

  @Test
  void streamWhoseWriteFailedIsNotKeptWhenClosed() {
    LocalTarget target = LocalTarget.of(dir.resolve("plain.txt"));

    assertThatThrownBy(() -> {
      try (java.io.OutputStream out = target.openOutputStream()) {
        out.write("good start".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.write(new byte[2], 0, 5);
      }
    }).isInstanceOf(IndexOutOfBoundsException.class);

    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void gzipWriteThatThrowsLeavesNothing() {
    LocalTarget target = LocalTarget.of(dir.resolve("data.gz")).gzip();

    assertThatThrownBy(() -> target.writeBytes(out -> {
      out.write(new byte[1000]);
      throw new IOException("interrupted source");
    })).hasMessage("interrupted source");

    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void gzipTargetsCompressOnWriteAndDecompressOnRead() throws IOException {
    LocalTarget target = LocalTarget.of(dir.resolve("data.txt.gz")).gzip();
    target.writeString("compressed ".repeat(100));

    assertThat(target.readString()).isEqualTo("compressed ".repeat(100));
    assertThat(LocalTarget.of(target.path()).readString()).doesNotContain("compressed");
  }

  /** Asks for its write path twice, as a task and the engine both do, and writes it. */
  record WritesThroughWritePath() implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("program.txt"));
    }

    public void run(TaskContext ctx) throws IOException {
      Path first = output().writePath();
      assertThat(ctx.outputWrites().writePath(output())).isEqualTo(first);
      java.nio.file.Files.writeString(first, "as a program would");
    }
  }

  @Test
  void writePathIsTheSameEachTimeItIsAskedInOneAttempt() {
    RunResult result = sluice(false).run(new WritesThroughWritePath());

    assertThat(result.status(new WritesThroughWritePath())).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.read(dir.resolve("program.txt"))).isEqualTo("as a program would");
  }

  @Test
  void writePathIsOnlyAvailableWhileATaskRuns() {
    assertThatThrownBy(() -> LocalTarget.of(dir.resolve("x")).writePath())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only available while a task runs").hasMessageContaining("x");
  }
}
