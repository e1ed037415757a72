package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import io.sluice.remote.Tier;
import io.sluice.remote.internal.InFlightRecords.InFlight;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What remote runs leave on disk stays within the retention policy. */
class RetentionTest {

  private static final Tier SMALL = new Tier("Small", 1, 0, 0, null, 0, Map.of());
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  @TempDir Path project;
  @TempDir Path work;

  private Path state() {
    return project.resolve(".sluice");
  }

  private Retention retention(RetentionPolicy policy, Clock clock) {
    return new Retention(policy, clock, List.of(work.resolve("runs")), state().resolve("snapshots"),
        state().resolve("builds"), new InFlightRecords(state().resolve(InFlightRecords.DIR)));
  }

  private static long bytes(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static long entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.count();
    }
  }

  @Test
  void diskUseStaysBoundedAfterFiftyShortRunsAtFiftyCommits() throws Exception {
    RetentionPolicy policy = new RetentionPolicy(7, 5);
    try (Git git = Git.init().setDirectory(project.toFile()).setInitialBranch("main").call()) {
      Files.writeString(project.resolve(".gitignore"), ".sluice/\n");
      Snapshots snapshots = Snapshots.open(project, null);
      LocalBackend backend = new LocalBackend(work.resolve("runs"));
      long largest = 0;
      for (int i = 1; i <= 50; i++) {
        Files.writeString(project.resolve("data.txt"), "version " + i + "\n".repeat(10_000));
        git.add().addFilepattern(".").call();
        String commit = git.commit().setMessage("v" + i).setAuthor("t", "t@example.com")
            .setCommitter("t", "t@example.com").setSign(false).call().name();
        RunHandle run = backend.submit(new RunSpec("run-" + i, "Test", List.of("sh", "-c",
            "head -c 200000 /dev/zero > out.bin"), SMALL, snapshots.export(commit), commit, List.of(), Map.of(),
            null, "", "out.bin"));
        Instant deadline = Instant.now().plusSeconds(30);
        while (!backend.poll(List.of(run)).get(run).status().finished()) {
          assertThat(Instant.now()).isBefore(deadline);
          Thread.sleep(10);
        }
        retention(policy, Clock.systemUTC()).apply();
        largest = Math.max(largest, bytes(state()) + bytes(work));
      }
      backend.close();

      assertThat(entries(work.resolve("runs"))).isEqualTo(5);
      assertThat(work.resolve("runs/run-50")).exists();
      assertThat(entries(state().resolve("snapshots"))).as("5 snapshots and their manifests").isEqualTo(10);
      // one run: 200 kB of output and 10 kB of snapshot; 50 runs without pruning: over 10 MB
      assertThat(largest).isLessThan(6 * 250_000L);
    }
  }

  private Path run(String name, String commit, boolean finished, Instant modified) throws IOException {
    Path dir = Files.createDirectories(work.resolve("runs").resolve(name));
    Files.writeString(dir.resolve(RunFiles.SCRIPT), "#!/usr/bin/env bash\n# Sluice remote run " + name + "\nexport SLUICE_RUN_ID='" + name
        + "'\nexport SLUICE_COMMIT='" + commit + "'\n");
    if (finished) {
      Files.writeString(dir.resolve(RunFiles.EXIT_CODE), "0\n");
    }
    Files.setLastModifiedTime(dir, FileTime.from(modified));
    return dir;
  }

  private Path snapshot(String commit) throws IOException {
    Path dir = Files.createDirectories(state().resolve("snapshots").resolve(commit));
    Files.writeString(CacheManifest.fileFor(dir), "");
    return dir;
  }

  @Test
  void finishedRunsOlderThanKeepDaysGoButRunsInFlightAndTheirSnapshotsStay() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Instant tenDaysAgo = NOW.minus(Duration.ofDays(10));
    Path old = run("run-old", "aaaa", true, tenDaysAgo);
    Path inFlight = run("run-in-flight", "bbbb", true, tenDaysAgo);
    Path recent = run("run-recent", "cccc", true, NOW.minus(Duration.ofHours(1)));
    Path going = run("run-going", "eeee", false, NOW.minus(Duration.ofDays(1)));
    for (String commit : List.of("aaaa", "bbbb", "cccc", "dddd", "eeee")) {
      snapshot(commit);
    }
    Files.createDirectories(state().resolve("builds/dddd"));
    Files.writeString(CacheManifest.fileFor(state().resolve("builds/dddd")), "");
    new InFlightRecords(state().resolve(InFlightRecords.DIR)).write(
        new InFlight("0123", "slurm", "T", "bbbb", "run-in-flight", "42"));

    List<Path> removed = retention(new RetentionPolicy(7, 20), clock).apply();

    Path snapshots = state().resolve("snapshots");
    assertThat(removed).containsExactlyInAnyOrder(old, snapshots.resolve("aaaa"), snapshots.resolve("aaaa.manifest"),
        snapshots.resolve("dddd"), snapshots.resolve("dddd.manifest"), state().resolve("builds/dddd"),
        state().resolve("builds/dddd.manifest"));
    assertThat(old).doesNotExist();
    assertThat(List.of(inFlight, recent, going, snapshots.resolve("bbbb"), snapshots.resolve("cccc"),
        snapshots.resolve("eeee"))).allSatisfy(path -> assertThat(path).exists());
  }

  @Test
  void atMostKeepRunsFinishedRunsAreKeptTheNewest() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    for (int i = 1; i <= 4; i++) {
      run("run-" + i, "c" + i, true, NOW.minus(Duration.ofMinutes(10 - i)));
    }

    List<Path> wouldGo = retention(new RetentionPolicy(7, 2), clock).removable();

    assertThat(wouldGo).containsExactlyInAnyOrder(work.resolve("runs/run-1"), work.resolve("runs/run-2"));
    assertThat(work.resolve("runs/run-1")).as("removable() removes nothing").exists();
  }

  @Test
  void theRetentionSectionIsReadWithDefaultsAndCheckedForUnknownSettings() {
    assertThat(RetentionPolicy.from(Settings.empty())).isEqualTo(new RetentionPolicy(7, 20));
    assertThat(RetentionPolicy.from(new Settings(Map.of("retention", Map.of("keep_runs", 3)))))
        .isEqualTo(new RetentionPolicy(7, 3));
    assertThatThrownBy(() -> RetentionPolicy.from(new Settings(Map.of("retention", Map.of("keep", 3)))))
        .isInstanceOf(SchedulingException.class).hasMessageContaining("unknown setting 'keep'");
  }
}
