package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import io.sluice.remote.Tier;
import io.sluice.remote.spi.RunBackend;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote run's output comes back only as a regular file of its workspace, and a local run
 * cannot reach the caller's project through relative paths.
 */
class WorkspaceContainmentTest {

  private static final Tier SMALL = new Tier("Small", 1, 0, 0, null, 0, Map.of());

  @TempDir Path dir;
  private Path snapshot;
  private Path secret;
  private RunBackend backend;
  private int runs;

  @BeforeEach
  void files() throws IOException {
    snapshot = Files.createDirectories(dir.resolve("snapshot"));
    Files.writeString(snapshot.resolve("input.txt"), "from the snapshot\n");
    secret = Files.writeString(dir.resolve("secret.txt"), "the caller's own file\n");
    Files.createDirectories(dir.resolve("outside"));
    Files.writeString(dir.resolve("outside/out.txt"), "outside the workspace\n");
    backend = new LocalBackend(dir.resolve("runs"));
  }

  @AfterEach
  void close() throws IOException {
    backend.close();
  }

  private RunHandle runToEnd(String script) throws Exception {
    String id = "run-" + ++runs;
    RunHandle run = backend.submit(new RunSpec(id, "Test", List.of("sh", "-c", script), SMALL, snapshot,
        "0123456789abcdef", List.of(), Map.of(), null, "", "out.txt"));
    Instant deadline = Instant.now().plusSeconds(30);
    RunState state;
    while (!(state = backend.poll(List.of(run)).get(run)).status().finished()) {
      assertThat(Instant.now()).as("run still %s", state).isBefore(deadline);
      Thread.sleep(20);
    }
    return run;
  }

  @Test
  void anOutputThatIsASymbolicLinkIsRefusedAndNothingIsCopied() throws Exception {
    RunHandle run = runToEnd("ln -s '" + secret + "' out.txt");
    Path destination = dir.resolve("fetched.txt");

    assertThatThrownBy(() -> backend.fetch(run, "out.txt", destination))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("out.txt is a symbolic link")
        .hasMessageContaining("regular file inside its workspace");
    assertThat(destination).doesNotExist();
  }

  @Test
  void anOutputUnderASymbolicLinkToADirectoryIsRefused() throws Exception {
    RunHandle run = runToEnd("ln -s '" + dir.resolve("outside") + "' results");
    Path destination = dir.resolve("fetched.txt");

    assertThatThrownBy(() -> backend.fetch(run, "results/out.txt", destination))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("results is a symbolic link");
    assertThat(destination).doesNotExist();
  }

  @Test
  void anOutputThatIsAFifoIsRefusedWithoutBlocking() throws Exception {
    RunHandle run = runToEnd("mkfifo out.txt");
    Path destination = dir.resolve("fetched.txt");

    assertThatThrownBy(() -> backend.fetch(run, "out.txt", destination))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("special file");
    assertThat(destination).doesNotExist();
  }

  @Test
  void anOutputThatIsAHardLinkToAnotherFileIsRefused() throws Exception {
    RunHandle run = runToEnd("ln '" + secret + "' out.txt");
    Path destination = dir.resolve("fetched.txt");

    assertThatThrownBy(() -> backend.fetch(run, "out.txt", destination))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("hard link");
    assertThat(destination).doesNotExist();
  }

  @Test
  void aPlainFileTheCommandWroteIsFetched() throws Exception {
    RunHandle run = runToEnd("mkdir -p d && cat input.txt > d/out.txt");
    Path destination = dir.resolve("fetched.txt");

    assertThat(backend.fetch(run, "d/out.txt", destination)).isTrue();
    assertThat(destination).hasContent("from the snapshot");
  }

  @Test
  void aLocalRunWritingUpwardsCannotReachTheProject() throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Settings settings = new Settings(Map.of("local", Map.of("work_dir", dir.resolve("work").toString())));
    backend.close();
    backend = new LocalBackendProvider().create(project, project.resolve(".sluice"), settings);
    StringBuilder script = new StringBuilder();
    String up = "";
    for (int i = 0; i < 8; i++) {
      up += "../";
      script.append("echo escaped > ").append(up).append("escaped-").append(i).append(".txt 2>/dev/null; ");
    }
    runToEnd(script + "true");

    try (Stream<Path> files = Files.walk(project)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("escaped"))).isEmpty();
    }
  }

  @Test
  void aWorkDirInsideTheProjectIsRefused() {
    Path project = dir.resolve("project");
    Settings settings = new Settings(Map.of("local", Map.of("work_dir", ".sluice/work")));

    assertThatThrownBy(() -> LocalWorkDir.runsDir(project, settings, Map.of()))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("inside the project")
        .hasMessageContaining("[local] work_dir");
  }

  @Test
  void theDefaultWorkDirIsTheCacheHomeOrTheTempDirectoryNotTheProject() {
    Path project = dir.resolve("project");

    Path cached = LocalWorkDir.runsDir(project, Settings.empty(), Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()));
    Path temp = LocalWorkDir.runsDir(project, Settings.empty(), Map.of());

    assertThat(cached.startsWith(dir.resolve("cache/sluice"))).isTrue();
    assertThat(cached.startsWith(project)).isFalse();
    assertThat(cached.getParent().getFileName().toString()).startsWith("project-");
    assertThat(temp.startsWith(Path.of(System.getProperty("java.io.tmpdir")))).isTrue();
    assertThat(temp.startsWith(project)).isFalse();
  }
}
