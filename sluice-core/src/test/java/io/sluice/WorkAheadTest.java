package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.TaskLocks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While one worker runs a chain, another with nothing to run takes the next links' locks and
 * makes their temporary files ahead; the promises stay as they were: outputs all or nothing,
 * nothing left behind, an empty output no older than its inputs, locks released.
 */
class WorkAheadTest {

  static Path dir;
  /** The link that waits, in its run(), until the next link's temporary file was made ahead. */
  static int waitingLink;
  /** What the waiting link does once it saw that file. */
  static volatile String whenSeen;
  /** The link that writes an empty output. */
  static int emptyLink;
  /** The link that writes a large output: more than a file made ahead keeps before writing it. */
  static int bigLink;
  static final AtomicBoolean sawFileMadeAhead = new AtomicBoolean();
  static final AtomicBoolean lockOfSkippedLinkFree = new AtomicBoolean();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    waitingLink = -1;
    whenSeen = "";
    emptyLink = -1;
    bigLink = -1;
    sawFileMadeAhead.set(false);
    lockOfSkippedLinkFree.set(false);
  }

  /** Link {@code index} of a chain: requires the link before it, writes its index (or nothing). */
  record Link(int index) implements Task {
    public List<Task> requires() {
      return index == 0 ? List.of() : List.of(new Link(index - 1));
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("links").resolve("link-" + index + ".txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      if (index == waitingLink) {
        sawFileMadeAhead.set(awaitTemporaryFileOf("link-" + (index + 1) + ".txt"));
        switch (whenSeen) {
          case "fail" -> throw new IOException("link " + index + " fails");
          case "wipe" -> {
            // A task that cleans the directory its dependents write to, as some pipelines do.
            try (Stream<Path> files = Files.list(dir.resolve("links"))) {
              for (Path file : files.toList()) {
                Files.delete(file);
              }
            }
            Files.delete(dir.resolve("links"));
            Files.createDirectory(dir.resolve("links"));
          }
          case "remove" -> {
            // The same, leaving the directory to whoever writes into it next.
            try (Stream<Path> files = Files.list(dir.resolve("links"))) {
              for (Path file : files.toList()) {
                Files.delete(file);
              }
            }
            Files.delete(dir.resolve("links"));
          }
          case "later" -> Thread.sleep(50);  // so that its output is written well after the file was made
          default -> { }
        }
      }
      try (OutputStream out = output().openOutputStream()) {
        if (index != emptyLink) {
          out.write(content(index).getBytes());
        }
      }
    }
  }

  /** What link {@code index} writes: nothing for the empty link, much for the big one. */
  static String content(int index) {
    if (index == emptyLink) {
      return "";
    }
    return index == bigLink ? Integer.toString(index).repeat(10_000) : Integer.toString(index);
  }

  /** Fails the waiting link's run, while it is still running, if the lock of the link after it is not free. */
  record LockProbe(int link) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("probe.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      try (TaskLocks locks = TaskLocks.joined(dir.resolve(".sluice"))) {
        // The chain fails at the waiting link; the lock the next link's was taken ahead under must
        // be let go then, not when the run ends.
        while (System.nanoTime() < deadline) {
          if (Files.exists(dir.resolve("failed"))) {
            TaskLocks.Held held = locks.acquire(new Link(link).id(), Duration.ZERO);
            if (held != null) {
              held.close();
              lockOfSkippedLinkFree.set(true);
              break;
            }
          }
          Thread.sleep(5);
        }
      }
      output().writeString("probed");
    }
  }

  /** Requires several tasks: they run in parallel, on the run's workers. */
  record Both(List<Task> requires) implements WrapperTask {}

  /** Waits (a bounded time) until a hidden temporary file of {@code output} appears in the links' directory. */
  static boolean awaitTemporaryFileOf(String output) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!temporaryFiles(output).isEmpty()) {
        return true;
      }
      Thread.sleep(2);
    }
    return false;
  }

  static List<Path> temporaryFiles(String output) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("links"))) {
      return files.filter(f -> f.getFileName().toString().startsWith("." + output + ".sluice-")).toList();
    }
  }

  static List<Path> allTemporaryFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.getFileName().toString().contains(".sluice-")
          && f.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  static Sluice sluice(int workers) {
    return Sluice.builder().workers(workers).stateDir(dir.resolve(".sluice")).build();
  }

  /** Makes the links' directory before the run: files are made ahead only in directories that exist. */
  static void linksDirectory() throws IOException {
    Files.createDirectories(dir.resolve("links"));
  }

  @Test
  void whileALinkRunsAnIdleWorkerMakesTheNextLinksTemporaryFileAndTheLinkWritesIntoIt() throws Exception {
    linksDirectory();
    waitingLink = 10;

    RunResult result = sluice(2).run(new Link(40));

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(sawFileMadeAhead).as("link 11's temporary file existed while link 10 ran").isTrue();
    assertThat(Files.readString(dir.resolve("links").resolve("link-11.txt"))).isEqualTo("11");
    assertThat(allTemporaryFiles()).isEmpty();
  }

  @Test
  void aLinkThatWipesTheDirectoryItsDependentsWriteToDoesNotLoseTheirOutputs() throws Exception {
    linksDirectory();
    waitingLink = 10;
    whenSeen = "wipe";

    RunResult result = sluice(2).run(new Link(40));

    assertThat(sawFileMadeAhead).isTrue();
    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
    for (int i = 10; i <= 40; i++) {
      assertThat(Files.readString(dir.resolve("links").resolve("link-" + i + ".txt"))).isEqualTo(Integer.toString(i));
    }
    assertThat(allTemporaryFiles()).isEmpty();
  }

  @Test
  void aLinkThatRemovesTheDirectoryDoesNotLoseTheLargeOutputOfTheLinkAfterIt() throws Exception {
    bigLink = 11;
    assertThat(content(11)).hasSizeGreaterThan(8192);

    runRemovingTheDirectoryAtLink10AndCheckTheLinksAfter();
  }

  @Test
  void aLinkThatRemovesTheDirectoryDoesNotLoseTheEmptyOutputOfTheLinkAfterIt() throws Exception {
    emptyLink = 11;

    runRemovingTheDirectoryAtLink10AndCheckTheLinksAfter();
  }

  /** Link 10 removes the links' directory once link 11's file was made ahead; every link after it must still be whole. */
  private static void runRemovingTheDirectoryAtLink10AndCheckTheLinksAfter() throws Exception {
    linksDirectory();
    waitingLink = 10;
    whenSeen = "remove";

    RunResult result = sluice(2).run(new Link(14));

    assertThat(sawFileMadeAhead).isTrue();
    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
    for (int i = 10; i <= 14; i++) {
      assertThat(Files.readString(dir.resolve("links").resolve("link-" + i + ".txt"))).isEqualTo(content(i));
    }
    assertThat(allTemporaryFiles()).isEmpty();
  }

  @Test
  void anEmptyOutputWhoseFileWasMadeAheadIsNoOlderThanTheInputWrittenAfterIt() throws Exception {
    linksDirectory();
    waitingLink = 10;
    whenSeen = "later";
    emptyLink = 11;

    // Link 11 writes nothing: its output keeps the time it was committed, not the time its file was made.
    RunResult result = sluice(2).run(new Link(12));

    assertThat(result.exitCode()).as(result.summary()).isEqualTo(ExitCode.SUCCESS);
    assertThat(sawFileMadeAhead).isTrue();
    Path input = dir.resolve("links").resolve("link-10.txt");
    Path empty = dir.resolve("links").resolve("link-11.txt");
    assertThat(Files.size(empty)).isZero();
    assertThat(Files.getLastModifiedTime(empty)).isGreaterThanOrEqualTo(Files.getLastModifiedTime(input));
    RunResult again = Sluice.builder().workers(2).stateDir(dir.resolve(".sluice"))
        .settings(Settings.empty().with("core", "up_to_date", "mtime")).build().run(new Link(12));
    assertThat(again.count(TaskStatus.DONE)).as(again.summary()).isZero();
  }

  @Test
  void aChainThatFailsMidwayLeavesNoTemporaryFileAndNoLockOfTheLinksPreparedAhead() throws Exception {
    linksDirectory();
    waitingLink = 10;
    whenSeen = "fail";
    Task chain = new Link(40);
    Task probe = new LockProbe(11);

    // Three workers: the chain's, the probe's, and one with nothing to run.
    RunResult result = Sluice.builder().workers(3).stateDir(dir.resolve(".sluice"))
        .listener(new TaskListener() {
          @Override
          public void onEvent(TaskEvent event) {
            if (event.kind() == TaskEvent.Kind.FAILED && event.id().equals(new Link(10).id())) {
              try {
                Files.writeString(dir.resolve("failed"), "");
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          }
        })
        .build().run(new Both(List.of(chain, probe)));

    assertThat(sawFileMadeAhead).isTrue();
    assertThat(result.status(new Link(10))).isEqualTo(TaskStatus.FAILED);
    assertThat(result.status(new Link(11))).isEqualTo(TaskStatus.UPSTREAM_FAILED);
    assertThat(result.status(probe)).as(result.summary()).isEqualTo(TaskStatus.DONE);
    assertThat(lockOfSkippedLinkFree).as("link 11's lock was released while the run went on").isTrue();
    assertThat(allTemporaryFiles()).isEmpty();
    assertThat(Files.exists(dir.resolve("links").resolve("link-11.txt"))).isFalse();
  }

  /** How many times each link of {@link CountedLink} ran, over every run. */
  static final java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicInteger> runsOfLink =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A link of a chain that counts its runs. */
  record CountedLink(int index) implements Task {
    public List<Task> requires() {
      return index == 0 ? List.of() : List.of(new CountedLink(index - 1));
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("counted").resolve("link-" + index + ".txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      runsOfLink.computeIfAbsent(index, i -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
      output().writeString(Integer.toString(index));
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 120)
  void twoRunsOfOneChainAtOnceNeitherWaitsForTheOthersLocksTakenAheadAndEachLinkRunsOnce() throws Exception {
    // Both runs' idle workers take links' locks ahead, and split them between the two runs: a run
    // that then waits for a lock of the other must not hold one the other waits for.
    int links = 400;
    for (int round = 0; round < 5; round++) {
      runsOfLink.clear();
      Path counted = dir.resolve("counted");
      if (Files.exists(counted)) {
        try (Stream<Path> files = Files.list(counted)) {
          for (Path file : files.toList()) {
            Files.delete(file);
          }
        }
      }
      java.util.concurrent.ExecutorService both = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<RunResult>> results = Stream.of(1, 2).map(run -> both.submit(() -> {
          Sluice sluice = Sluice.builder().workers(2).stateDir(dir.resolve(".sluice"))
              .lockTimeout(Duration.ofSeconds(20)).build();
          start.await();
          return sluice.run(new CountedLink(links - 1));
        })).toList();
        start.countDown();
        for (java.util.concurrent.Future<RunResult> result : results) {
          RunResult done = result.get();
          assertThat(done.exitCode()).as("round %d: %s", round, done.summary()).isEqualTo(ExitCode.SUCCESS);
        }
      } finally {
        both.shutdownNow();
      }
      for (int i = 0; i < links; i++) {
        assertThat(runsOfLink.get(i)).as("runs of link %d, round %d", i, round).hasValue(1);
      }
    }
  }
}
