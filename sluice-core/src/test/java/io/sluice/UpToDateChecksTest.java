package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine judges whether tasks are up to date once per task and run, without recursion whose
 * depth follows the graph and without re-checking shared upstream tasks.
 */
class UpToDateChecksTest {

  static Path dir;
  static final AtomicInteger completeCalls = new AtomicInteger();
  static final AtomicInteger outputsCalls = new AtomicInteger();

  @TempDir Path tempDir;

  @BeforeEach
  void setUp() {
    dir = tempDir;
    completeCalls.set(0);
    outputsCalls.set(0);
  }

  /** One link of a chain of make-style tasks: link n requires link n - 1. */
  record Link(int n) implements UpToDateTask {
    @Override
    public List<? extends Task> requires() {
      return n == 0 ? List.of() : List.of(new Link(n - 1));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("link-" + n));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString(Integer.toString(n));
    }
  }

  /** A node of a lattice two wide: each task of a level requires both tasks of the level below. */
  record Lattice(int level, int side) implements UpToDateTask {
    @Override
    public List<? extends Task> requires() {
      return level == 0 ? List.of() : List.of(new Lattice(level - 1, 0), new Lattice(level - 1, 1));
    }

    @Override
    public List<? extends Target> outputs() {
      outputsCalls.incrementAndGet();
      return List.of(LocalTarget.of(dir.resolve("lattice-" + level + "-" + side)));
    }

    @Override
    public boolean complete() {
      completeCalls.incrementAndGet();
      return UpToDateTask.super.complete();
    }

    @Override
    public void run(TaskContext context) throws IOException {
      ((LocalTarget) outputs().get(0)).writeString(level + "/" + side);
    }
  }

  /** The top of the lattice: 23 levels of two, and this one, 47 tasks. */
  record LatticeTop() implements UpToDateTask {
    @Override
    public List<? extends Task> requires() {
      return List.of(new Lattice(22, 0), new Lattice(22, 1));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("lattice-top"));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      output().writeString("top");
    }
  }

  /** A wrapper that groups the previous wrapper: complete when all below is. */
  record Group(int n) implements WrapperTask {
    @Override
    public List<? extends Task> requires() {
      return n == 0 ? List.of(new Link(0)) : List.of(new Group(n - 1));
    }
  }

  private static Sluice sluice() {
    return Sluice.builder().workers(2).stateDir(dir.resolve(".sluice")).build();
  }

  /** Writes the outputs of links 0..depth-1 in order, as a finished run would leave them. */
  private static void completeChain(int depth) throws IOException {
    for (int n = 0; n < depth; n++) {
      Files.writeString(new Link(n).output().path(), Integer.toString(n));
    }
  }

  @Test
  @Timeout(120)  // writing the 8,000 files is slow on a busy disk
  void completeChainOf8000UpToDateTasksReRunsWithExitZero() throws IOException {
    completeChain(8_000);

    RunResult rerun = sluice().run(new Link(7_999));

    assertThat(rerun.exitCode()).as(rerun.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(rerun.count(TaskStatus.DONE)).isZero();
  }

  @Test
  @Timeout(120)  // writing the 100,000 files takes most of it on a slow disk
  void completeChainOf100000UpToDateTasksReRunsWithExitZero() throws IOException {
    completeChain(100_000);

    RunResult rerun = sluice().run(new Link(99_999));

    assertThat(rerun.exitCode()).as(rerun.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(rerun.count(TaskStatus.DONE)).isZero();
  }

  @Test
  void changedLinkReRunsItselfAndEverythingDownstreamOnly() throws IOException {
    completeChain(5);
    for (int n = 0; n < 5; n++) {
      Files.setLastModifiedTime(new Link(n).output().path(), FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
    }
    Files.setLastModifiedTime(new Link(2).output().path(), FileTime.from(Instant.parse("2024-06-01T00:00:00Z")));

    RunResult rerun = sluice().run(new Link(4));

    assertThat(rerun.exitCode()).as(rerun.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(rerun.status(new Link(3))).isEqualTo(TaskStatus.DONE);
    assertThat(rerun.status(new Link(4))).isEqualTo(TaskStatus.DONE);
    assertThat(rerun.count(TaskStatus.DONE)).isEqualTo(2);
  }

  @Test
  void latticeOf47TasksIsReCheckedUnderASecondWithEachTaskCheckedOnce() {
    assertThat(sluice().run(new LatticeTop()).exitCode()).isEqualTo(ExitCode.SUCCESS);
    completeCalls.set(0);
    outputsCalls.set(0);

    RunResult rerun = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      long start = System.nanoTime();
      RunResult result = sluice().run(new LatticeTop());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      return result;
    });

    assertThat(rerun.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(rerun.count(TaskStatus.DONE)).isZero();
    int tasks = 46;
    int edges = 2 * 44 + 2;
    assertThat(completeCalls.get()).as("complete() calls").isLessThanOrEqualTo(tasks);
    assertThat(outputsCalls.get()).as("outputs() calls").isLessThanOrEqualTo(4 * (tasks + edges));
  }

  @Test
  void deepChainOfWrappersIsJudgedWithoutRecursion() throws IOException {
    completeChain(1);

    RunResult rerun = sluice().run(new Group(8_000));

    assertThat(rerun.exitCode()).as(rerun.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(rerun.count(TaskStatus.DONE)).isZero();
  }
}
