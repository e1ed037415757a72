package io.sluice.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.SchedulingException;
import io.sluice.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session asks its backend through the SPI's hooks, never by the backend's type or name. */
class RemoteSessionHooksTest {

  @TempDir Path dir;

  private Settings settings(String ownCommit) {
    Map<String, Object> recording = ownCommit == null
        ? Map.of("log", dir.resolve("log").toString())
        : Map.of("log", dir.resolve("log").toString(), "own_commit", ownCommit);
    return new Settings(Map.of("remote", Map.of("backend", "recording"), "recording", recording));
  }

  private String log() throws Exception {
    return Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
  }

  @Test
  void aBackendThatNamesCommitsItselfNeedsNoGitRepositoryAndNoSnapshot() throws Exception {
    Path project = Files.createDirectories(dir.resolve("not-a-repository"));
    try (RemoteSession session = new RemoteSession(settings("c0ffee"), project)) {
      assertThat(session.commit(null)).isEqualTo("c0ffee");
      assertThat(session.commit("abcdef")).isEqualTo("abcdef");
      assertThat(session.snapshot("c0ffee")).isNull();
      assertThat(session.projectRoot()).isEqualTo(project.toAbsolutePath());
    }
    assertThat(log()).isEqualTo("ownCommit null\nownCommit abcdef\nclose\n");
  }

  @Test
  void withoutAGitRepositoryAGitCommitIsRefusedSayingWhatToDo() throws Exception {
    Path project = Files.createDirectories(dir.resolve("not-a-repository"));
    try (RemoteSession session = new RemoteSession(settings(null), project)) {
      assertThatThrownBy(() -> session.commit(null))
          .isInstanceOf(SchedulingException.class)
          .hasMessageContaining("is not inside a git repository").hasMessageContaining("git init");
    }
  }

  @Test
  void closingTheSessionClosesItsBackend() throws Exception {
    new RemoteSession(settings(null), dir).close();

    assertThat(log()).isEqualTo("close\n");
  }

  @Test
  void anUnknownSettingOfRemoteIsRefusedAndATableOfABackendIsLeftToIt() throws Exception {
    Settings misspelt = new Settings(Map.of("remote", Map.of("backend", "recording", "poll_intervall", "1s"),
        "recording", Map.of("log", dir.resolve("log").toString())));

    assertThatThrownBy(() -> new RemoteSession(misspelt, dir))
        .isInstanceOf(SchedulingException.class)
        .hasMessageStartingWith("sluice.toml: [remote] has unknown setting 'poll_intervall' (known: backend, poll_interval,");
    Settings withTable = new Settings(Map.of("remote", Map.of("backend", "recording", "recording", Map.of("any", 1)),
        "recording", Map.of("log", dir.resolve("log").toString())));
    new RemoteSession(withTable, dir).close();
  }
}
