package io.sluice.remote.internal;

import io.sluice.remote.spi.RemoteEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Settings;
import io.sluice.Task;
import io.sluice.Tasks;
import io.sluice.remote.RemoteRun;
import io.sluice.remote.Tier;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * What the local backend does with values from outside the code (task parameters from the
 * command line, environment values, output paths) and with secrets: values reach the command as
 * the bytes given and never become script lines; secrets stay in files only the user reads; the
 * command sees the allow-listed part of the caller's environment, not all of it.
 */
class LocalBackendSecurityTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Tier SMALL = new Tier("Small", 1, 0, 0, null, 0, Map.of());

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
  private LocalBackend backend;

  @BeforeEach
  void createBackend() throws Exception {
    snapshot = Files.createDirectories(dir.resolve("snapshot"));
    backend = new LocalBackend(dir.resolve("runs"));
  }

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  /** A value that is a shell line, an sbatch directive and every kind of quote at once. */
  private String attack(String name) {
    Path marker = dir.resolve("injected-" + name);
    return "x\ntouch " + marker + "; #\r\n#SBATCH --comment=injected\r"
        + "' \" $(touch " + marker + "-subst) `touch " + marker + "-tick` ; touch " + marker + "-semi \\ \t \u00e9 end";
  }

  /** The spec RemoteRunner makes of a RemoteRun: its task name is the run's task id. */
  private RunSpec specOf(RemoteRun run) {
    return new RunSpec("run-attack-1", run.id().toString(), run.command(), SMALL, snapshot, "0123456789abcdef",
        List.of(), run.environment(), null, "", run.outputPath());
  }

  @Test
  void aTaskParameterEnvironmentValuesAndTheOutputPathReachTheCommandAsTheBytesGivenAndRunNothingElse()
      throws Exception {
    String parameter = attack("parameter");
    String value = attack("env");
    // relative, so its slashes make directories in the workspace; the marker is absolute, in dir
    String output = "o\ntouch " + dir.resolve("injected-output") + "; #\r\n#SBATCH --comment=x\r' \" $(touch "
        + dir.resolve("injected-output-subst") + ") \\ .txt";
    RemoteRun run = remoteRunOfTrain(parameter).env("VALUE", value).env("OUT", output).output(output);

    RunHandle handle = backend.submit(specOf(run));
    RunState state = awaitEnd(handle);

    assertThat(injectedFiles()).isEmpty();
    assertThat(state.status()).as(log(handle)).isEqualTo(RunStatus.SUCCEEDED);
    Path workspace = dir.resolve("runs").resolve(handle.id()).resolve(RunFiles.WORKSPACE);
    assertThat(workspace.resolve("param.bin")).hasBinaryContent(parameter.getBytes(StandardCharsets.UTF_8));
    assertThat(workspace.resolve("env.bin")).hasBinaryContent(value.getBytes(StandardCharsets.UTF_8));
    assertThat(workspace.resolve("out.bin")).hasBinaryContent(output.getBytes(StandardCharsets.UTF_8));
    assertThat(backend.fetch(handle, output, dir.resolve("fetched"))).isTrue();
  }

  @Test
  void theCommandSeesTheAllowListAndPassEnvButNotTheRestOfTheCallersEnvironment() throws Exception {
    // set for the tests by the surefire configuration in pom.xml
    assertThat(System.getenv("NOT_PASSED_TOKEN")).as("the test JVM's environment (see pom.xml)").isNotNull();
    assertThat(System.getenv("PASSED_BY_CONFIG")).as("the test JVM's environment (see pom.xml)").isNotNull();
    Settings settings = new Settings(Map.of("remote", Map.of("pass_env", List.of("PASSED_BY_CONFIG"))));
    backend.close();
    backend = new LocalBackend(dir.resolve("runs"), RemoteEnvironment.from(settings));
    RemoteRun run = RemoteRun.of(List.of("sh", "-c", "env > out.txt")).env("OWN", "the run's own").output("out.txt");

    RunHandle handle = backend.submit(specOf(run));

    assertThat(awaitEnd(handle).status()).as(log(handle)).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(backend.fetch(handle, "out.txt", dir.resolve("env.txt"))).isTrue();
    List<String> seen = Files.readAllLines(dir.resolve("env.txt"));
    assertThat(seen).contains("PASSED_BY_CONFIG=from-the-caller", "OWN=the run's own",
        "PATH=" + System.getenv("PATH"), "SLUICE_RUN_ID=" + handle.id());
    assertThat(seen).noneMatch(line -> line.startsWith("NOT_PASSED_TOKEN="));
    assertThat(String.join("\n", seen)).doesNotContain(System.getenv("NOT_PASSED_TOKEN"));
  }

  @Test
  void secretsStayInFilesOnlyTheUserReadsAndOutOfTheScriptAndTheLogs() throws Exception {
    String secret = "sk-live-7c9e2b41d0";
    RemoteRun run = RemoteRun.of(List.of("sh", "-c", "printf %s \"$API_KEY\" > out.txt"))
        .env("API_KEY", secret).output("out.txt");

    RunHandle handle = backend.submit(specOf(run));

    assertThat(awaitEnd(handle).status()).as(log(handle)).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(backend.fetch(handle, "out.txt", dir.resolve("key.txt"))).isTrue();
    assertThat(dir.resolve("key.txt")).hasContent(secret);
    Path runDir = dir.resolve("runs").resolve(handle.id());
    assertThat(Files.getPosixFilePermissions(runDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(runDir.resolve(RunFiles.SCRIPT)))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(runDir.resolve(RunFiles.ENVIRONMENT)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(runDir.resolve(RunFiles.SCRIPT)).content().doesNotContain(secret);
    assertThat(log(handle)).doesNotContain(secret);
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.map(Path::toString)).noneMatch(name -> name.contains(secret));
    }
  }

  /** The markers an injected command would create: all of them are directly in dir. */
  private List<Path> injectedFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("injected")).toList();
    }
  }

  private String log(RunHandle run) throws Exception {
    return new String(backend.readLog(run, 0), StandardCharsets.UTF_8);
  }

  private RunState awaitEnd(RunHandle run) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      RunState state = backend.poll(List.of(run)).get(run);
      if (state.status().finished()) {
        return state;
      }
      assertThat(Instant.now()).as("%s still %s after %s", run, state, WAIT).isBefore(deadline);
      Thread.sleep(50);
    }
  }
}
