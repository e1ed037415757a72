package io.sluice.scenarios.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.scenarios.remote.PipelineProject.Result;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A remote run judged by fingerprint: its code is the files its command names as git holds them
 * at the commit it runs (the remote side sees nothing else), not as they are in the working tree.
 * Real {@code java Pipeline.java TASK} processes in a real git repository, the local backend.
 */
class RemoteRunUpToDateScenariosTest extends PipelineProjectScenario {

  @BeforeEach
  void judgeTasksByFingerprint() throws Exception {
    Files.writeString(file("sluice.toml"), Files.readString(file("sluice.toml")) + "\n[core]\nup_to_date = \"fingerprint\"\n");
    project.commit("tasks judged by fingerprint");
  }

  @Test
  void committedChangeToTheCodeOfARemoteRunRunsItAgainSayingWhy() throws Exception {
    Result first = project.run("Consume");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    project.setMarker("two");
    project.commit("Marker two");

    Result second = project.run("Consume");

    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.output()).contains("code changed (Pipeline.java)");
    assertThat(file("out/consumed.txt")).hasContent("produced by two\nconsumed by two");
    assertThat(project.runDirectories()).hasSize(2);
  }

  @Test
  void remoteRunPinnedToACommitDoesNotRunAgainWhenLaterCommitsChangeTheWorkingTree() throws Exception {
    String pinned = project.git().getRepository().resolve("HEAD").name();
    Result first = project.run("ProduceAt", "--commit", pinned);
    assertThat(first.exitCode()).as(first.toString()).isZero();
    project.setMarker("two");
    project.commit("Marker two");

    Result second = project.run("ProduceAt", "--commit", pinned);

    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.output()).contains("Nothing to do");
    assertThat(file("out/produced.txt")).hasContent("produced by one");
    assertThat(project.runDirectories()).hasSize(1);
  }
}
