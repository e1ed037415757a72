package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary files: names that fit any output name, never guessed, never opened through a link. */
class TempFilesTest {

  @TempDir
  Path dir;

  @Test
  void nameFitsIn255BytesForTheLongestValidOutputName() {
    String name = TempFiles.name("a".repeat(255), Long.MAX_VALUE, "0123abcd", -1L);

    assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    assertThat(name).startsWith(".aaaa").endsWith(".tmp").contains(".sluice-" + Long.MAX_VALUE + "-0123abcd-");
  }

  @Test
  void nameIsCutAtACharacterBoundaryNeverInsideOne() {
    for (String character : new String[] {"\u00e9", "\u20ac", "\ud83d\ude00"}) {
      String outputName = character.repeat(255 / character.getBytes(StandardCharsets.UTF_8).length);

      String name = TempFiles.name(outputName, 4194304, "0123abcd", 42);

      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      assertThat(bytes.length).isLessThanOrEqualTo(255);
      assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(name);
      String kept = name.substring(1, name.indexOf(".sluice-"));
      assertThat(kept).isNotEmpty().matches("(" + character + ")+");
    }
  }

  @Test
  void namesAreRandomAndCarryThePidAndHost() {
    Path target = dir.resolve("out.txt");

    String first = TempFiles.reserve(target).getFileName().toString();
    String second = TempFiles.reserve(target).getFileName().toString();

    assertThat(first).isNotEqualTo(second)
        .matches("\\.out\\.txt\\.sluice-" + TempFiles.pid() + "-" + TempFiles.host() + "-[0-9a-f]{16}\\.tmp");
  }

  @Test
  void namesNeverRepeatOverManyBatchesOfRandomness() {
    Path target = dir.resolve("out.txt");
    java.util.Set<Path> names = new java.util.HashSet<>();

    for (int i = 0; i < 10_000; i++) {
      names.add(TempFiles.reserve(target));
    }

    assertThat(names).hasSize(10_000);
  }

  @Test
  void linkPlantedAtTheChosenNameIsNotFollowedAndAnotherNameIsUsed() throws IOException {
    Path victim = dir.resolve("victim.txt");
    Files.writeString(victim, "precious");
    Path target = dir.resolve("out.txt");
    Path predicted = TempFiles.reserve(target, new Random(7));
    Files.createSymbolicLink(predicted, victim);

    TempFiles.Created created = TempFiles.create(target, new Random(7));
    try (OutputStream out = created.out()) {
      out.write("task output".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(created.path()).isNotEqualTo(predicted);
    assertThat(Files.readString(victim)).isEqualTo("precious");
    assertThat(Files.isSymbolicLink(predicted)).isTrue();
    assertThat(Files.readString(created.path())).isEqualTo("task output");
  }

  @Test
  void leftoverOfADeadProcessIsRemovedButNotThoseOfLiveProcessesOrOtherHosts() throws IOException {
    long impossiblePid = Integer.MAX_VALUE;  // above every pid_max: no process has it
    Path dead = Files.writeString(dir.resolve(TempFiles.name("out.txt", impossiblePid, TempFiles.host(), 1)), "x");
    Path legacy = Files.writeString(dir.resolve(".out.txt.sluice-" + impossiblePid + "-3.tmp"), "x");
    Path live = Files.writeString(dir.resolve(TempFiles.name("out.txt", ProcessHandle.current().pid(),
        TempFiles.host(), 2)), "x");
    Path otherHost = Files.writeString(dir.resolve(TempFiles.name("out.txt", impossiblePid, "ffffffff".equals(
        TempFiles.host()) ? "00000000" : "ffffffff", 3)), "x");
    Path notOurs = Files.writeString(dir.resolve(".notes.sluice-backup.tmp"), "x");

    int removed = TempFiles.removeLeftovers(dir);

    assertThat(removed).isEqualTo(2);
    assertThat(dead).doesNotExist();
    assertThat(legacy).doesNotExist();
    assertThat(live).exists();
    assertThat(otherHost).exists();
    assertThat(notOurs).exists();
  }
}
