package io.sluice.domino.emulator;

import static io.sluice.domino.emulator.ApiClient.project;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Projects are commits of content-addressed files, kept under the data directory. */
class PersistenceTest {

  @TempDir Path temp;

  @Test
  void emulatorStartedAgainOnTheSameDataDirectoryFindsTheProjectAsItWas() throws Exception {
    Path data = temp.resolve("data");
    String head;
    try (DominoEmulator first = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(data))) {
      new ApiClient(first).put(project(first) + "/kept.txt", "kept".getBytes());
      head = first.headCommit();
    }

    try (DominoEmulator second = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(data))) {
      assertThat(second.headCommit()).isEqualTo(head);
      assertThat(new String(second.filesAt(head).get("kept.txt"))).isEqualTo("kept");
    }
  }

  @Test
  void sameContentIsStoredOnceUnderItsSha1() throws Exception {
    Path data = temp.resolve("data");
    try (DominoEmulator emulator = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(data))) {
      ApiClient api = new ApiClient(emulator);
      String key = api.put(project(emulator) + "/a.txt", "same".getBytes()).json().get("key").asText();
      String again = api.put(project(emulator) + "/b/c.txt", "same".getBytes()).json().get("key").asText();

      assertThat(again).isEqualTo(key).isEqualTo(ApiEndpointsTest.sha1("same"));
      try (var blobs = Files.walk(data.resolve("blobs"))) {
        assertThat(blobs.filter(Files::isRegularFile).toList()).hasSize(1);
      }
    }
  }

  @Test
  void commitFilesAddsADirectoryOnTopOfTheHead() throws Exception {
    try (DominoEmulator emulator = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(temp.resolve("d")))) {
      new ApiClient(emulator).put(project(emulator) + "/before.txt", "1".getBytes());
      Path dir = Files.createDirectories(temp.resolve("src/pkg"));
      Files.writeString(dir.resolve("Main.java"), "class Main {}");
      Files.createDirectories(temp.resolve("src/.git"));
      Files.writeString(temp.resolve("src/.git/config"), "[core]");

      String commit = emulator.commitFiles(temp.resolve("src"));

      assertThat(commit).isEqualTo(emulator.headCommit());
      assertThat(emulator.filesAt(commit).keySet()).containsExactly("before.txt", "pkg/Main.java");
    }
  }

  @Test
  void filesAtAnUnknownCommitSaysWhichCommit() throws Exception {
    try (DominoEmulator emulator = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(temp))) {
      assertThatThrownBy(() -> emulator.filesAt("abc")).hasMessageContaining("'abc'");
    }
  }

  @Test
  void temporaryDataDirectoryGoesWithTheEmulatorAndAGivenOneStays() throws Exception {
    Path made;
    try (DominoEmulator emulator = DominoEmulator.start(DominoEmulator.Options.defaults())) {
      made = emulator.dataDir();
      assertThat(made).isDirectory();
    }
    Path given = temp.resolve("given");
    try (DominoEmulator emulator = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(given))) {
      emulator.awaitCompleted(new ApiClient(emulator).startRun(emulator, List.of("true"), "Small", null),
          java.time.Duration.ofSeconds(30));
    }

    assertThat(made).doesNotExist();
    assertThat(given.resolve("projects/sluice/sluice-examples/HEAD")).isRegularFile();
  }
}
