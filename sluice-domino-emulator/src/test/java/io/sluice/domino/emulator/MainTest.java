package io.sluice.domino.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: its options, its help, and the emulator as a process of its own. */
class MainTest {

  @TempDir Path temp;

  @Test
  void defaultsServeTheExamplesProjectWithTheThreeTiers() {
    DominoEmulator.Options options = Main.parse(List.of());

    assertThat(options.port()).isZero();
    assertThat(options.apiKey()).isEqualTo("emulator-key");
    assertThat(options.owner()).isEqualTo("sluice");
    assertThat(options.project()).isEqualTo("sluice-examples");
    assertThat(options.tiers()).containsExactly(
        java.util.Map.entry("Small", 2), java.util.Map.entry("Large", 1), java.util.Map.entry("GPU (K80)", 1));
  }

  @Test
  void optionsSetPortKeyDataDirectoryProjectAndTiers() {
    DominoEmulator.Options options = Main.parse(List.of("--port", "8790", "--api-key=k", "--data-dir", "/tmp/x",
        "--tier", "GPU (V100)=3", "--tier", "Small=4", "--owner", "me", "--project", "p"));

    assertThat(options.port()).isEqualTo(8790);
    assertThat(options.apiKey()).isEqualTo("k");
    assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/x"));
    assertThat(options.owner()).isEqualTo("me");
    assertThat(options.project()).isEqualTo("p");
    assertThat(options.tiers()).containsEntry("GPU (V100)", 3).containsEntry("Small", 4).containsEntry("Large", 1);
  }

  @Test
  void badOptionsSayWhatIsWrong() {
    assertThatThrownBy(() -> Main.parse(List.of("--prot", "1"))).hasMessageContaining("'--prot'");
    assertThatThrownBy(() -> Main.parse(List.of("--port", "many"))).hasMessageContaining("'many'");
    assertThatThrownBy(() -> Main.parse(List.of("--port", "70000"))).hasMessageContaining("70000");
    assertThatThrownBy(() -> Main.parse(List.of("--tier", "Small"))).hasMessageContaining("NAME=N");
    assertThatThrownBy(() -> Main.parse(List.of("--tier", "Small=0"))).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Main.parse(List.of("--owner", "a/b"))).hasMessageContaining("'a/b'");
    assertThatThrownBy(() -> Main.parse(List.of("--api-key"))).hasMessageContaining("needs a value");
  }

  @Test
  void takenPortFailsWithExitCode1SayingWhatToDo() throws Exception {
    try (DominoEmulator first = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(temp.resolve("a")))) {
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

      int code = Main.run(new String[] {"--port", String.valueOf(first.url().getPort()), "--data-dir",
          temp.resolve("b").toString()}, System.out, new java.io.PrintStream(err, true));

      assertThat(code).isEqualTo(1);
      assertThat(err.toString()).contains(String.valueOf(first.url().getPort())).contains("0 for any free port");
    }
  }

  @Test
  void helpSaysItIsATestDoubleAndWhatItDoesNotModel() {
    assertThat(Main.parse(List.of("--help"))).isNull();
    assertThat(Main.HELP).contains("TEST DOUBLE").contains("not Domino").contains("datasets")
        .contains("environments").contains("billing");
  }

  @Test
  void processPrintsItsReadyLineServesAndEndsItsRunsWhenTerminated() throws Exception {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process emulator = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", Main.class.getName(),
        "--port", "0", "--api-key", "cli-key", "--data-dir", temp.resolve("data").toString())
        .redirectError(temp.resolve("stderr").toFile()).start();
    try {
      String ready = new BufferedReader(new InputStreamReader(emulator.getInputStream())).readLine();
      Matcher matcher = Pattern.compile("domino-emulator listening on (http://127\\.0\\.0\\.1:(\\d+)) \\(api key: cli-key\\)")
          .matcher(ready == null ? "" : ready);
      assertThat(matcher.matches()).as("ready line: " + ready).isTrue();
      assertThat(Integer.parseInt(matcher.group(2))).isPositive();
      ApiClient api = new ApiClient(URI.create(matcher.group(1)), "cli-key");
      Path pid = temp.resolve("pid");
      String body = "{\"command\":[\"sh\",\"-c\",\"echo $$ > " + pid + ".tmp; mv " + pid + ".tmp " + pid
          + "; exec sleep 300\"],\"tier\":\"Small\"}";
      assertThat(api.post("/v1/projects/sluice/sluice-examples/runs", body).status()).isEqualTo(200);
      RunStatusTest.awaitFile(pid);

      emulator.destroy(); // SIGTERM, as Ctrl-C or a test harness ends it

      assertThat(emulator.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(RunStatusTest.running(Long.parseLong(Files.readString(pid).trim()))).isFalse();
    } finally {
      emulator.destroyForcibly();
    }
  }
}
