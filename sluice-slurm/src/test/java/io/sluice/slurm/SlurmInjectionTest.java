package io.sluice.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Sleeper;
import io.sluice.Task;
import io.sluice.Tasks;
import io.sluice.remote.RemoteRun;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values from outside the code (a task parameter from the command line, environment values, the
 * output path) on a real cluster: they reach the job's command as the bytes given, and neither
 * the shell nor sbatch reads any part of them as a line of the script.
 */
class SlurmInjectionTest {

  /** Writes what the command received: its argument, $VALUE and $OUT, then the output $OUT. */
  private static final String COMMAND = "printf %s \"$1\" > param.bin; printf %s \"$VALUE\" > env.bin;"
      + " printf %s \"$OUT\" > out.bin; mkdir -p \"$(dirname \"$OUT\")\"; echo ok > \"$OUT\"";

  /** A task whose parameter, given on the command line, becomes an argument of a remote command. */
  public record Train(String note) implements Task {
    @Override
    public List<Task> requires() {
      return List.of(RemoteRun.of(List.of("sh", "-c", COMMAND, "sh", note)));
    }
  }

  /** The remote run of a Train task whose parameter is given as a string, as on the command line. */
  private static RemoteRun remoteRunOfTrain(String note) {
    return (RemoteRun) Tasks.create(Train.class, Map.of("note", note)).requires().get(0);
  }

  @TempDir Path dir;
  private Path snapshot;
  private SlurmBackend backend;

  @BeforeEach
  void cluster() throws IOException {
    SlurmCluster.require();
    snapshot = Files.createDirectories(dir.resolve("snapshot"));
    backend = new SlurmBackend(new SlurmConfig(dir.resolve("shared"), Duration.ofMillis(100), Duration.ofSeconds(60)),
        CommandRunner.system(Duration.ofSeconds(60)), Clock.systemUTC(), Sleeper.system());
  }

  @AfterEach
  void cancelWhatIsLeft() throws IOException {
    if (backend != null) {
      backend.close();
    }
  }

  /** A value that is a shell line, two sbatch directives and every kind of quote at once. */
  private String attack(String name, String newline) {
    Path marker = dir.resolve("injected-" + name);
    return "x" + newline + "#SBATCH --error=" + marker + "-sbatch" + newline + "#SBATCH --comment=injected" + newline
        + "touch " + marker + "; #" + newline + "' \" $(touch " + marker + "-subst) `touch " + marker + "-tick` ;"
        + " \\ \t\r end";
  }

  /** With {@code \r\n} too: sbatch refuses a script holding one, so none may reach the script. */
  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n"})
  void aTaskParameterEnvironmentValuesAndTheOutputPathReachTheJobAsTheBytesGivenAndNeitherShellNorSbatchReadsThem(
      String newline) throws Exception {
    String parameter = attack("parameter", newline);
    String value = attack("env", newline);
    // relative, so its slashes make directories in the workspace; the markers are absolute, in dir
    String output = "o" + newline + "#SBATCH --error=" + dir.resolve("injected-output-sbatch") + newline + "touch "
        + dir.resolve("injected-output") + "; #" + newline + "' \" $(touch " + dir.resolve("injected-output-subst")
        + ") .txt";
    RemoteRun run = remoteRunOfTrain(parameter).env("VALUE", value).env("OUT", output).output(output);
    // what RemoteRunner makes of it: the task name is the run's task id, which holds them all
    RunSpec spec = new RunSpec("run-inject-" + ProcessHandle.current().pid() + "-" + newline.length(), run.id().toString(), run.command(),
        TestRuns.PROJECT_TIERS.get("Small"), snapshot, "0123456789abcdef0123456789abcdef01234567", List.of(),
        run.environment(), null, "", run.outputPath());

    RunHandle handle = backend.submit(spec);
    RunState state = awaitFinished(handle);

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("injected"))).isEmpty();
    }
    CommandRunner.Result job = CommandRunner.system(Duration.ofSeconds(30))
        .run(List.of("scontrol", "show", "job", handle.id()));
    assertThat(job.stdout()).doesNotContain("injected");
    assertThat(state.status()).as(new String(backend.readLog(handle, 0), StandardCharsets.UTF_8))
        .isEqualTo(RunStatus.SUCCEEDED);
    Path workspace = backend.runDir(spec).resolve("workspace");
    assertThat(workspace.resolve("param.bin")).hasBinaryContent(parameter.getBytes(StandardCharsets.UTF_8));
    assertThat(workspace.resolve("env.bin")).hasBinaryContent(value.getBytes(StandardCharsets.UTF_8));
    assertThat(workspace.resolve("out.bin")).hasBinaryContent(output.getBytes(StandardCharsets.UTF_8));
    assertThat(backend.fetch(handle, output, dir.resolve("fetched"))).isTrue();
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
