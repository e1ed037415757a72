package io.sluice.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.RetryPolicy;
import io.sluice.SchedulingException;
import java.nio.file.Path;
import java.time.Duration;
import io.sluice.internal.LogFiles;
import io.sluice.remote.spi.RunHandle;
import io.sluice.remote.spi.RunSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteRunTest {

  private static final List<String> HELLO = List.of("HelloPipeline.java", "Hello");

  @ParameterizedTest
  @ValueSource(strings = {"/tmp/out.txt", "../out.txt", "out/../../out.txt", "..", ".", "", " "})
  void anOutputOutsideTheProjectIsRefusedWhenTheRunIsMade(String path) {
    RemoteRun run = RemoteRun.of(HELLO);

    assertThatThrownBy(() -> run.output(path))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("would leave the project");
  }

  @Test
  void aRetryPolicyResubmitsFailedRunsWithoutChangingTheRunsIdentity() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).build();
    RemoteRun plain = RemoteRun.of(List.of("train.sh")).tier("Large").output("model.bin");

    RemoteRun retried = plain.retry(policy);

    assertThat(plain.retryPolicy()).isEqualTo(RetryPolicy.none());
    assertThat(retried.retryPolicy()).isEqualTo(policy);
    assertThat(retried.id()).isEqualTo(plain.id());
    assertThat(retried.tier("Small").retryPolicy()).as("kept by the other withers").isEqualTo(policy);
  }

  @Test
  void theProjectFilesItsCommandNamesAreItsCodeForFingerprintsAsGitHoldsThemAtTheCommit() {
    // Tests run in the module's directory, where pom.xml is a file committed to the project.
    RemoteRun run = RemoteRun.of(List.of("python3", "pom.xml", "--epochs", "3", "missing.py", "/etc/hostname"))
        .tier("Large").output("model.bin");

    assertThat(run.codeFiles()).as("not read from the working tree").isEmpty();
    assertThat(run.codeVersions(io.sluice.Settings.empty())).containsOnlyKeys("pom.xml")
        .hasValueSatisfying(new org.assertj.core.api.Condition<>(v -> v.matches("[0-9a-f]{16}"), "a git id"));
  }

  @Test
  void anOutputInsideTheProjectIsKeptAsGiven() {
    assertThat(RemoteRun.of(HELLO).output("out/../results/hello.txt").outputPath())
        .isEqualTo("out/../results/hello.txt");
    assertThat(RemoteRun.of(HELLO).output(Path.of("out", "hello.txt")).output().path())
        .isEqualTo(Path.of("out/hello.txt"));
  }

  @Test
  void aRunWithoutACommandIsRefused() {
    assertThatThrownBy(() -> RemoteRun.of(List.of()))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("needs a command");
  }

  @Test
  void aRunWithoutOutputSaysHowToGiveOne() {
    assertThatThrownBy(() -> RemoteRun.of(HELLO).output())
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining(".output(path)");
  }

  @Test
  void theIdIsCompactAndShowsOnlyWhatIsSet() {
    assertThat(RemoteRun.of(HELLO).tier("Small").output("out/hello.txt").id())
        .hasToString("RemoteRun(command=HelloPipeline.java Hello, tier=Small, output=out/hello.txt)");
    assertThat(RemoteRun.of(HELLO).id())
        .hasToString("RemoteRun(command=HelloPipeline.java Hello, tier=Small)");
    assertThat(RemoteRun.of(HELLO).output("o.txt").atCommit("abc123").env("B", "2").env("A", "1")
            .timeLimit(Duration.ofMinutes(5)).id())
        .hasToString("RemoteRun(command=HelloPipeline.java Hello, tier=Small, output=o.txt, commit=abc123,"
            + " env=A,B#" + RemoteRun.environmentDigest(java.util.Map.of("A", "1", "B", "2")).split("#")[1]
            + ", timeout=PT5M)");
  }

  @Test
  void equalRunsAreOneTaskAndDifferentRunsAreNot() {
    RemoteRun run = RemoteRun.of(HELLO).tier("Large").output("out/hello.txt").env("A", "1").env("B", "2");
    RemoteRun same = RemoteRun.of(List.of("HelloPipeline.java", "Hello")).env("B", "2").env("A", "1")
        .output("out/hello.txt").tier("Large");

    assertThat(same).isEqualTo(run);
    assertThat(same.id()).isEqualTo(run.id());
    assertThat(run.tier("Small").id()).isNotEqualTo(run.id());
    assertThat(run.atCommit("abc123").id()).isNotEqualTo(run.id());
    assertThat(run.output("out/other.txt").id()).isNotEqualTo(run.id());
  }

  @Test
  void environmentValuesAreInNoIdToStringOrLogFileNameButRunsWithOtherValuesAreOtherTasks() {
    String secret = "sk-live-7c9e2b41d0";
    RemoteRun run = RemoteRun.of(HELLO).output("o.txt").env("API_KEY", secret);
    RemoteRun other = RemoteRun.of(HELLO).output("o.txt").env("API_KEY", "sk-live-000000000");

    assertThat(run.id().toString()).doesNotContain(secret).contains("API_KEY");
    assertThat(run.toString()).doesNotContain(secret);
    assertThat(LogFiles.name(run.id())).doesNotContain(secret);
    assertThat(run.id().params().values()).noneMatch(v -> String.valueOf(v).contains(secret));
    assertThat(other.id()).isNotEqualTo(run.id());
    assertThat(LogFiles.name(other.id())).isNotEqualTo(LogFiles.name(run.id()));
    assertThat(RemoteRun.of(HELLO).output("o.txt").env("API_KEY", secret).id()).isEqualTo(run.id());
    RunSpec spec = new RunSpec("run-1", run.id().toString(), run.command(), new Tier("Small", 1, 0, 0, null, 0,
        Map.of()), Path.of("snapshot"), "abc", List.of(), run.environment(), null, "", run.outputPath());
    assertThat(spec.toString()).contains("API_KEY").doesNotContain(secret);
    assertThat(new RunHandle("local", "run-1", spec).toString()).doesNotContain(secret);
  }

  @Test
  void theDigestKeepsApartValuesThatSpellTheSameText() {
    assertThat(hash(Map.of("A", "1", "B", "2"))).isNotEqualTo(hash(Map.of("A", "1\nB=2", "B", "")));
    assertThat(hash(Map.of("A", "1", "B", "2"))).isNotEqualTo(hash(Map.of("A", "1", "B", "3")));
  }

  private static String hash(Map<String, String> environment) {
    return RemoteRun.environmentDigest(environment).split("#")[1];
  }

  @Test
  void aNulCharacterIsRefusedNamingTheValueThatHoldsIt() {
    assertThatThrownBy(() -> RemoteRun.of(List.of("echo", "ok", "a\0b")))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("Argument 3").hasMessageContaining("NUL");
    assertThatThrownBy(() -> RemoteRun.of(HELLO).env("TOKEN", "a\0b"))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("environment variable TOKEN").hasMessageContaining("NUL");
    assertThatThrownBy(() -> RemoteRun.of(HELLO).output("out\0.txt"))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("output path").hasMessageContaining("NUL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"A-B", "1A", "", "A B", "A\nB"})
  void anEnvironmentVariableNameThatIsNoNameIsRefused(String name) {
    assertThatThrownBy(() -> RemoteRun.of(HELLO).env(name, "v"))
        .isInstanceOf(SchedulingException.class)
        .hasMessageContaining("Environment variable name");
  }

  @Test
  void theRunDoesNotChangeWhenItsMutableInputsDo() {
    var command = new java.util.ArrayList<>(HELLO);
    RemoteRun run = RemoteRun.of(command);
    command.add("--extra");

    assertThat(run.command()).isEqualTo(HELLO);
  }
}
