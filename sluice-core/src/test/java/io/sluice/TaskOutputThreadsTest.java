package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.OutputTransaction;
import io.sluice.internal.RunningOutputs;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's outputs belong to its run, not to the thread that called {@code run()}: writes from
 * the task's own threads are part of it, and nothing of one run leaks into another.
 */
class TaskOutputThreadsTest {

  static Path dir;

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
  }

  /** Writes its output from an executor thread, then fails if asked to. */
  record WritesFromExecutor(boolean fails) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("from-executor.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      ExecutorService executor = Executors.newSingleThreadExecutor();
      try {
        Future<?> write = executor.submit(() -> {
          LocalTarget.of(dir.resolve("from-executor.txt")).writeString("written by a pool thread");
          return null;
        });
        write.get();
      } finally {
        executor.shutdown();
      }
      if (fails) {
        throw new IOException("failed after its pool thread wrote");
      }
    }
  }

  /** Writes its outputs from a parallel stream, then fails if asked to. */
  record WritesInParallel(boolean fails) implements Task {
    public List<LocalTarget> outputs() {
      return List.of(LocalTarget.of(dir.resolve("p1.txt")), LocalTarget.of(dir.resolve("p2.txt")),
          LocalTarget.of(dir.resolve("p3.txt")), LocalTarget.of(dir.resolve("p4.txt")));
    }

    public void run(TaskContext ctx) throws IOException {
      outputs().parallelStream().forEach(target -> {
        try {
          target.writeString("part " + target.path().getFileName());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      if (fails) {
        throw new IOException("failed after the parallel writes");
      }
    }
  }

  /** Starts a thread that writes its output and does not wait for it. */
  record LeavesAWriterBehind() implements Task {
    static final CountDownLatch opened = new CountDownLatch(1);
    static final CountDownLatch release = new CountDownLatch(1);

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("late.txt"));
    }

    public void run(TaskContext ctx) throws IOException {
      BufferedWriter out = output().openWriter();
      Thread writer = new Thread(() -> {
        try (out) {
          out.write("early");
          opened.countDown();
          release.await();
          out.write(" and late");
        } catch (IOException | InterruptedException e) {
          // the write is refused: the task's run has ended
        }
      });
      writer.start();
      try {
        opened.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
    }
  }

  /** Records what its run's settings say about durability, once both runs are inside run(). */
  record RecordsDurability(String name, CountDownLatch bothRunning) implements Task {
    static final Map<String, Boolean> seen = new ConcurrentHashMap<>();

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name + ".txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      bothRunning.countDown();
      bothRunning.await(30, TimeUnit.SECONDS);
      seen.put(name, ctx.outputWrites().durable());
      output().writeString(name);
    }
  }

  /** Writes its output, waits until the other run has written too, then fails if asked to. */
  record Concurrent(String name, boolean fails, CountDownLatch bothWritten) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name + ".txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString(name);
      bothWritten.countDown();
      bothWritten.await(30, TimeUnit.SECONDS);
      if (fails) {
        throw new IOException(name + " fails");
      }
    }
  }

  /** Starts a thread that writes its output later, and fails without waiting for it. */
  record FailsLeavingALateWriter(CountDownLatch go, CompletableFuture<Throwable> lateWrite) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("late-writer.txt"));
    }

    public int priority() {
      return 1;
    }

    public void run(TaskContext ctx) throws IOException {
      Thread writer = new Thread(() -> {
        try {
          go.await();
          LocalTarget.of(dir.resolve("late-writer.txt")).writeString("written after the task failed");
          lateWrite.complete(null);
        } catch (Throwable e) {
          lateWrite.complete(e);
        }
      });
      writer.start();
      throw new IOException("failed while its writer thread goes on");
    }
  }

  /** Runs after the failing task, lets its leftover thread write, and waits for that write. */
  record RunsLater(CountDownLatch go, CompletableFuture<Throwable> lateWrite) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("later.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      go.countDown();
      lateWrite.get(30, TimeUnit.SECONDS);
      output().writeString("later");
    }
  }

  private static Sluice sluice() {
    return Sluice.builder().stateDir(dir.resolve(".sluice")).build();
  }

  @Test
  void writeFromAnExecutorThreadIsDiscardedWhenTheTaskFails() {
    RunResult failed = sluice().run(new WritesFromExecutor(true));

    assertThat(failed.status(new WritesFromExecutor(true))).isEqualTo(TaskStatus.FAILED);
    assertThat(TestFiles.under(dir)).isEmpty();
    assertThat(new WritesFromExecutor(false).complete()).as("the next run does not say 'nothing to do'").isFalse();

    RunResult done = sluice().run(new WritesFromExecutor(false));
    assertThat(done.status(new WritesFromExecutor(false))).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.read(dir.resolve("from-executor.txt"))).isEqualTo("written by a pool thread");
  }

  @Test
  void writesFromAParallelStreamAreAllDiscardedWhenTheTaskFails() {
    RunResult failed = sluice().run(new WritesInParallel(true));

    assertThat(failed.status(new WritesInParallel(true))).isEqualTo(TaskStatus.FAILED);
    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void writesFromAParallelStreamAppearTogetherWhenTheTaskSucceeds() {
    RunResult done = sluice().run(new WritesInParallel(false));

    assertThat(done.status(new WritesInParallel(false))).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.under(dir)).containsExactly("p1.txt", "p2.txt", "p3.txt", "p4.txt");
  }

  @Test
  void writerStillOpenInAThreadWhenRunReturnsFailsTheTaskAndItsLateWritesAreRefused() throws Exception {
    RunResult result = sluice().run(new LeavesAWriterBehind());
    LeavesAWriterBehind.release.countDown();

    assertThat(result.status(new LeavesAWriterBehind())).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(new LeavesAWriterBehind().id())).contains("late.txt").contains("still open");
    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void writeFromAThreadAFailedTaskLeftRunningIsRefusedWhileTheRunGoesOn() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<Throwable> lateWrite = new CompletableFuture<>();
    FailsLeavingALateWriter failing = new FailsLeavingALateWriter(go, lateWrite);
    RunsLater later = new RunsLater(go, lateWrite);

    RunResult result = sluice().run(failing, later);

    assertThat(result.status(failing)).isEqualTo(TaskStatus.FAILED);
    assertThat(result.status(later)).isEqualTo(TaskStatus.DONE);
    assertThat(lateWrite.get()).isInstanceOf(IOException.class).hasMessageContaining("aborted");
    assertThat(TestFiles.under(dir)).containsExactly("later.txt");
  }

  @Test
  void twoRunsInOneJvmWritingDifferentPathsDoNotAffectEachOther() throws Exception {
    CountDownLatch bothWritten = new CountDownLatch(2);
    Concurrent ok = new Concurrent("ok", false, bothWritten);
    Concurrent failing = new Concurrent("failing", true, bothWritten);
    ExecutorService runs = Executors.newFixedThreadPool(2);
    try {
      Future<RunResult> first = runs.submit(() -> sluice().run(ok));
      Future<RunResult> second = runs.submit(() -> Sluice.builder().stateDir(dir.resolve(".sluice2")).build()
          .run(failing));

      assertThat(first.get(60, TimeUnit.SECONDS).status(ok)).isEqualTo(TaskStatus.DONE);
      assertThat(second.get(60, TimeUnit.SECONDS).status(failing)).isEqualTo(TaskStatus.FAILED);
    } finally {
      runs.shutdown();
    }
    assertThat(TestFiles.under(dir).stream().filter(name -> !name.startsWith(".sluice2"))).containsExactly("ok.txt");
  }

  @Test
  void nothingIsRegisteredOnceTheRunsHaveEnded() {
    sluice().run(new WritesInParallel(false));
    sluice().run(new WritesFromExecutor(true));

    assertThat(RunningOutputs.paths()).noneMatch(path -> path.startsWith(dir.toAbsolutePath()));
  }

  @Test
  void fsyncIsASettingOfEachSluiceInstanceNotOfTheProcess() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    Sluice durable = Sluice.builder().stateDir(dir.resolve(".sluice")).fsync(true).build();
    Sluice fast = Sluice.builder().stateDir(dir.resolve(".sluice")).fsync(false).build();
    ExecutorService runs = Executors.newFixedThreadPool(2);
    try {
      Future<RunResult> first = runs.submit(() -> durable.run(new RecordsDurability("durable", bothRunning)));
      Future<RunResult> second = runs.submit(() -> fast.run(new RecordsDurability("fast", bothRunning)));
      first.get(60, TimeUnit.SECONDS);
      second.get(60, TimeUnit.SECONDS);
    } finally {
      runs.shutdown();
    }

    assertThat(RecordsDurability.seen).containsEntry("durable", true).containsEntry("fast", false);
    assertThat(TestFiles.read(dir.resolve("durable.txt"))).isEqualTo("durable");
  }

  @Test
  void abortedTransactionRefusesEveryLaterWriteCloseAndCommitAndKeepsNothing() throws IOException {
    LocalTarget target = LocalTarget.of(dir.resolve("abandoned.txt"));
    OutputTransaction transaction = OutputTransaction.forTask("Abandoned()", List.of(target), false,
        io.sluice.internal.Leftovers.forRun());
    try (RunningOutputs.Registration registered = RunningOutputs.register(transaction)) {
      OutputStream before = target.openOutputStream();
      before.write("before the abort".getBytes(StandardCharsets.UTF_8));

      transaction.abort();

      assertThatThrownBy(() -> before.write('x')).isInstanceOf(IOException.class);
      assertThatThrownBy(before::close).isInstanceOf(IOException.class).hasMessageContaining("aborted");
      assertThatThrownBy(() -> target.writeString("after the abort")).isInstanceOf(IOException.class)
          .hasMessageContaining("Abandoned()").hasMessageContaining("aborted");
      assertThatThrownBy(target::writePath).isInstanceOf(IOException.class);
      assertThatThrownBy(transaction::commit).isInstanceOf(IOException.class).hasMessageContaining("aborted");
    }
    assertThat(TestFiles.under(dir)).isEmpty();
  }

  @Test
  void secondRunningAttemptClaimingTheSamePathFailsNamingTheFirst() {
    LocalTarget target = LocalTarget.of(dir.resolve("shared.txt"));
    OutputTransaction first = OutputTransaction.forTask("First()", List.of(target), false,
        io.sluice.internal.Leftovers.forRun());
    OutputTransaction second = OutputTransaction.forTask("Second()", List.of(target), false,
        io.sluice.internal.Leftovers.forRun());
    try (RunningOutputs.Registration registered = RunningOutputs.register(first)) {
      assertThatThrownBy(() -> RunningOutputs.register(second)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("shared.txt").hasMessageContaining("First()");
    }
    RunningOutputs.register(second).close();
    assertThat(RunningOutputs.paths()).doesNotContain(target.path().toAbsolutePath());
  }
}
