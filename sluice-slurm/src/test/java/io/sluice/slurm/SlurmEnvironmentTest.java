package io.sluice.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Settings;
import io.sluice.Sleeper;
import io.sluice.remote.RemoteRun;
import io.sluice.remote.spi.RemoteEnvironment;
import io.sluice.remote.internal.RunFiles;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a job sees of the caller's environment on a real cluster: the allow-list and
 * {@code [remote] pass_env} through an explicit {@code --export}, not sbatch's default of all
 * of it; and where the run's own secret values are kept.
 */
class SlurmEnvironmentTest {

  @TempDir Path dir;
  private Path snapshot;
  private SlurmBackend backend;

  @BeforeEach
  void cluster() throws IOException {
    SlurmCluster.require();
    snapshot = Files.createDirectories(dir.resolve("snapshot"));
    Settings settings = new Settings(Map.of("remote", Map.of("pass_env", List.of("PASSED_BY_CONFIG"))));
    backend = new SlurmBackend(new SlurmConfig(dir.resolve("shared"), Duration.ofMillis(100), Duration.ofSeconds(60)),
        RemoteEnvironment.from(settings), CommandRunner.system(Duration.ofSeconds(60)), Clock.systemUTC(),
        Sleeper.system());
  }

  @AfterEach
  void cancelWhatIsLeft() throws IOException {
    if (backend != null) {
      backend.close();
    }
  }

  private RunSpec specOf(RemoteRun run, String name) {
    return new RunSpec("run-env-" + ProcessHandle.current().pid() + "-" + name, run.id().toString(), run.command(),
        TestRuns.PROJECT_TIERS.get("Small"), snapshot, "0123456789abcdef0123456789abcdef01234567", List.of(),
        run.environment(), null, "", run.outputPath());
  }

  @Test
  void theJobSeesTheAllowListAndPassEnvButNotTheRestOfTheCallersEnvironment() throws Exception {
    // set for the tests by the surefire configuration in pom.xml
    assertThat(System.getenv("NOT_PASSED_TOKEN")).as("the test JVM's environment (see pom.xml)").isNotNull();
    assertThat(System.getenv("PASSED_BY_CONFIG")).as("the test JVM's environment (see pom.xml)").isNotNull();
    RemoteRun run = RemoteRun.of(List.of("sh", "-c", "env > out.txt")).env("OWN", "the run's own").output("out.txt");

    RunHandle handle = backend.submit(specOf(run, "allow"));

    assertThat(awaitFinished(handle).status()).as(log(handle)).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(backend.fetch(handle, "out.txt", dir.resolve("env.txt"))).isTrue();
    List<String> seen = Files.readAllLines(dir.resolve("env.txt"));
    assertThat(seen).contains("PASSED_BY_CONFIG=from-the-caller", "OWN=the run's own",
        "PATH=" + System.getenv("PATH"), "SLURM_JOB_ID=" + handle.id());
    assertThat(seen).noneMatch(line -> line.startsWith("NOT_PASSED_TOKEN="));
    assertThat(String.join("\n", seen)).doesNotContain(System.getenv("NOT_PASSED_TOKEN"));
  }

  @Test
  void theRunsSecretsStayInFilesOnlyTheUserReadsAndOutOfTheScript() throws Exception {
    String secret = "sk-live-7c9e2b41d0";
    RemoteRun run = RemoteRun.of(List.of("sh", "-c", "printf %s \"$API_KEY\" > out.txt"))
        .env("API_KEY", secret).output("out.txt");
    RunSpec spec = specOf(run, "secret");

    RunHandle handle = backend.submit(spec);

    assertThat(awaitFinished(handle).status()).as(log(handle)).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(backend.fetch(handle, "out.txt", dir.resolve("key.txt"))).isTrue();
    assertThat(dir.resolve("key.txt")).hasContent(secret);
    Path runDir = backend.runDir(spec);
    assertThat(Files.getPosixFilePermissions(runDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(runDir.resolve(RunFiles.SCRIPT)))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(runDir.resolve(RunFiles.ENVIRONMENT)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(runDir.resolve(RunFiles.SCRIPT)).content().doesNotContain(secret);
    assertThat(spec.taskName()).doesNotContain(secret);
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.map(Path::toString)).noneMatch(name -> name.contains(secret));
    }
  }

  private String log(RunHandle run) throws IOException {
    return new String(backend.readLog(run, 0), StandardCharsets.UTF_8);
  }

  private RunState awaitFinished(RunHandle run) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      RunState state = backend.poll(List.of(run)).get(run);
      if (state.status().finished()) {
        return state;
      }
      assertThat(System.nanoTime()).as("%s still %s", run, state).isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
