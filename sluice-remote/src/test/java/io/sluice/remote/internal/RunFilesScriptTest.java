package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.remote.Tier;
import io.sluice.remote.spi.RunSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesScriptTest {

  private static final Tier SMALL = new Tier("Small", 1, 0, 0, null, 0, Map.of());
  private static final String ATTACK = "x\n#SBATCH --comment=injected\r\ntouch injected; #";

  @TempDir Path dir;

  private RunSpec spec(String runId, List<String> command, Map<String, String> environment, String output) {
    return new RunSpec(runId, "RemoteRun(command=" + String.join(" ", command) + ", output=" + output + ")", command,
        SMALL, dir, "0123456789abcdef", List.of(), environment, null, "", output);
  }

  @Test
  void theHeaderHoldsTheRunIdOnlyAndNoValueStartsALineOfItsOwn() throws Exception {
    RunSpec spec = spec("run-1", List.of("echo", ATTACK), Map.of("VALUE", ATTACK), "out/" + ATTACK);

    Path script = RunFiles.writeScript(dir, spec, spec.command(), List.of());

    List<String> lines = Files.readAllLines(script);
    assertThat(lines.subList(0, 2)).containsExactly("#!/usr/bin/env bash", "# Sluice remote run run-1");
    assertThat(String.join("\n", lines)).doesNotContain("RemoteRun(").doesNotContain("\r");
    assertThat(lines).noneMatch(line -> line.startsWith("#SBATCH") || line.startsWith("touch"));
    assertThat(Files.readAllLines(dir.resolve(RunFiles.ENVIRONMENT)))
        .containsExactly("export VALUE=$'x\\n#SBATCH --comment=injected\\r\\ntouch injected; #'");
  }

  @Test
  void aNulCharacterInAnyValueIsRefusedNamingTheValue() {
    assertThatThrownBy(() -> RunFiles.writeScript(dir, spec("run-1", List.of("echo", "a\0b"), Map.of(), "o"),
        List.of("echo", "a\0b"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argument 2").hasMessageContaining("NUL");
    assertThatThrownBy(() -> RunFiles.writeScript(dir, spec("run-1", List.of("echo"), Map.of("TOKEN", "a\0b"), "o"),
        List.of("echo"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("environment variable TOKEN");
    assertThatThrownBy(() -> RunFiles.writeScript(dir, spec("run-1", List.of("echo"), Map.of(), "o\0.txt"),
        List.of("echo"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output path");
  }

  @Test
  void aRunIdThatIsNoPlainNameIsRefused() {
    assertThatThrownBy(() -> RunFiles.writeScript(dir, spec("run\n#SBATCH -A x", List.of("echo"), Map.of(), "o"),
        List.of("echo"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run id");
  }

  @Test
  void wordsWithoutControlCharactersKeepPlainSingleQuotes() {
    assertThat(RunFiles.quote("it's $(x)")).isEqualTo("'it'\\''s $(x)'");
    assertThat(RunFiles.quote("a\tb\\c\u0001'")).isEqualTo("$'a\\tb\\\\c\\x01\\''");
  }
}
