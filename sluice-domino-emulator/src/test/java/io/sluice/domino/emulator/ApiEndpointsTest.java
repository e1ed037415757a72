package io.sluice.domino.emulator;

import static io.sluice.domino.emulator.ApiClient.project;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint of the contract, over real HTTP: shapes and status codes. */
class ApiEndpointsTest {

  @TempDir Path temp;
  DominoEmulator emulator;
  ApiClient api;
  String p;

  @BeforeEach
  void start() throws Exception {
    emulator = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(temp.resolve("data")));
    api = new ApiClient(emulator);
    p = project(emulator);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void startedRunAnswersItsIdAndRunsAtTheHeadCommitWhenCommitIdIsNull() throws Exception {
    String head = api.put(p + "/hello.txt", "hi".getBytes()).json().get("commitId").asText();

    String runId = api.startRun(emulator, List.of("cat", "hello.txt"), "Small", null);
    JsonNode run = api.awaitCompleted(emulator, runId);

    assertThat(runId).matches("[0-9a-f]{24}");
    assertThat(run.get("commitId").asText()).isEqualTo(head);
    assertThat(api.get(p + "/run/" + runId + "/stdout").json().get("stdout").asText()).isEqualTo("hi");
  }

  @Test
  void requestsAreCountedByMethodAndPathForTestsOfHowOftenAClientAsks() {
    api.get(p + "/runs");
    api.get(p + "/runs");
    emulator.faults().failNextRequests(503, 1);
    api.get(p + "/runs");
    api.get(p + "/runs/nope");

    assertThat(emulator.requests("GET", emulator.runsPath())).isEqualTo(3);
    assertThat(emulator.requests("GET", p + "/runs/nope")).isEqualTo(1);
    assertThat(emulator.requests("POST", emulator.runsPath())).isZero();
  }

  @Test
  void runObjectHasEveryFieldOfTheContract() {
    String runId = api.startRun(emulator, List.of("sh", "-c", "exit 0"), "Large", null);
    JsonNode run = api.awaitCompleted(emulator, runId);

    assertThat(run.get("id").asText()).isEqualTo(runId);
    assertThat(run.get("title").asText()).isEqualTo("test run");
    assertThat(run.get("command").asText()).isEqualTo("sh -c exit 0");
    assertThat(run.get("status").asText()).isEqualTo("Succeeded");
    assertThat(run.get("commitId").asText()).isEqualTo(emulator.headCommit());
    assertThat(run.get("outputCommitId").asText()).matches("[0-9a-f]{40}");
    assertThat(run.get("isCompleted").asBoolean()).isTrue();
    assertThat(run.get("queued").asLong()).isPositive();
    assertThat(run.get("started").asLong()).isGreaterThanOrEqualTo(run.get("queued").asLong());
    assertThat(run.get("completed").asLong()).isGreaterThanOrEqualTo(run.get("started").asLong());
    assertThat(run.get("hardwareTierId").asText()).isEqualTo("Large");
    assertThat(run.get("exitCode").asInt()).isZero();
  }

  @Test
  void unfinishedRunHasNullOutputCommitCompletionAndExitCode() throws Exception {
    Path release = temp.resolve("release");
    String runId = api.startRun(emulator, waitFor(release), "Small", null);
    JsonNode run = api.awaitStatus(emulator, runId, "Running");

    assertThat(run.get("outputCommitId").isNull()).isTrue();
    assertThat(run.get("isCompleted").asBoolean()).isFalse();
    assertThat(run.get("completed").isNull()).isTrue();
    assertThat(run.get("exitCode").isNull()).isTrue();
    Files.writeString(release, "go");
    assertThat(api.awaitCompleted(emulator, runId).get("status").asText()).isEqualTo("Succeeded");
  }

  @Test
  void listHoldsEveryRunNewestFirst() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(api.startRun(emulator, List.of("true"), "Small", null));
    }
    ids.forEach(id -> api.awaitCompleted(emulator, id));

    JsonNode data = api.get(p + "/runs").json().get("data");

    List<String> listed = new ArrayList<>();
    data.forEach(run -> listed.add(run.get("id").asText()));
    assertThat(listed).containsExactly(ids.get(2), ids.get(1), ids.get(0));
    assertThat(data.get(0).get("status").asText()).isEqualTo("Succeeded");
  }

  @Test
  void stdoutHoldsTheCommandsOutputAndErrorsAndSetupTheEmulatorsSteps() {
    String runId = api.startRun(emulator, List.of("sh", "-c", "echo out; echo err >&2"), "Small", null);
    api.awaitCompleted(emulator, runId);

    JsonNode logs = api.get(p + "/run/" + runId + "/stdout").json();

    assertThat(logs.get("stdout").asText()).contains("out\n").contains("err\n");
    assertThat(logs.get("setup").asText()).contains("Workspace prepared from commit");
  }

  @Test
  void filesListAFileOrEveryFileUnderADirectoryAndBlobsAnswerTheirBytes() throws Exception {
    Path files = Files.createDirectories(temp.resolve("project/data/deep"));
    Files.writeString(temp.resolve("project/data/a.csv"), "a,b\n");
    Files.writeString(files.resolve("b.bin"), "bbb");
    Files.writeString(temp.resolve("project/main.py"), "print(1)\n");
    String commit = emulator.commitFiles(temp.resolve("project"));

    JsonNode file = api.get(p + "/files/" + commit + "/data/a.csv").json().get("data");
    JsonNode directory = api.get(p + "/files/" + commit + "/data").json().get("data");
    JsonNode all = api.get(p + "/files/" + commit + "/").json().get("data");

    assertThat(file).hasSize(1);
    assertThat(file.get(0).get("path").asText()).isEqualTo("data/a.csv");
    assertThat(file.get(0).get("size").asLong()).isEqualTo(4);
    assertThat(file.get(0).get("key").asText()).isEqualTo(sha1("a,b\n"));
    assertThat(file.get(0).get("lastModified").asLong()).isPositive();
    assertThat(directory).extracting(n -> n.get("path").asText()).containsExactly("data/a.csv", "data/deep/b.bin");
    assertThat(all).hasSize(3);
    ApiClient.Answer blob = api.get(p + "/blobs/" + file.get(0).get("key").asText());
    assertThat(blob.status()).isEqualTo(200);
    assertThat(blob.text()).isEqualTo("a,b\n");
  }

  @Test
  void absentFileUnknownCommitAndUnknownBlobAre404() throws Exception {
    String commit = api.put(p + "/x.txt", "x".getBytes()).json().get("commitId").asText();

    assertThat(api.get(p + "/files/" + commit + "/missing.txt").status()).isEqualTo(404);
    assertThat(api.get(p + "/files/" + "0".repeat(40) + "/x.txt").status()).isEqualTo(404);
    assertThat(api.get(p + "/blobs/" + "0".repeat(40)).status()).isEqualTo(404);
    assertThat(api.get(p + "/runs/000000000000000000000000").status()).isEqualTo(404);
  }

  @Test
  void eachUploadIsANewHeadCommitOnTopOfTheHead() throws Exception {
    JsonNode first = api.put(p + "/a/one.txt", "1".getBytes()).json();
    JsonNode second = api.put(p + "/two.txt", "22".getBytes()).json();

    assertThat(first.get("path").asText()).isEqualTo("a/one.txt");
    assertThat(first.get("key").asText()).isEqualTo(sha1("1"));
    assertThat(first.get("size").asLong()).isEqualTo(1);
    assertThat(second.get("commitId").asText()).matches("[0-9a-f]{40}").isNotEqualTo(first.get("commitId").asText());
    assertThat(emulator.headCommit()).isEqualTo(second.get("commitId").asText());
    Map<String, byte[]> files = emulator.filesAt(second.get("commitId").asText());
    assertThat(files.keySet()).containsExactly("a/one.txt", "two.txt");
    assertThat(emulator.filesAt(first.get("commitId").asText()).keySet()).containsExactly("a/one.txt");
  }

  @Test
  void uploadOfAPathWithDotDotIs400() {
    ApiClient.Answer answer = api.put(p + "/a/%2E%2E/%2E%2E/escape.txt", "x".getBytes());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("message").asText()).contains("escape.txt");
  }

  @Test
  void runAtAnOlderCommitSeesThatCommitsFiles() {
    String old = api.put(p + "/version.txt", "old".getBytes()).json().get("commitId").asText();
    api.put(p + "/version.txt", "new".getBytes());

    String runId = api.startRun(emulator, List.of("cat", "version.txt"), "Small", old);
    api.awaitCompleted(emulator, runId);

    assertThat(api.get(p + "/run/" + runId + "/stdout").json().get("stdout").asText()).isEqualTo("old");
  }

  @Test
  void outputCommitHoldsTheWorkspaceWithoutGitDirectoriesAndLeavesTheHeadAlone() throws Exception {
    String head = api.put(p + "/input.txt", "in".getBytes()).json().get("commitId").asText();
    String runId = api.startRun(emulator, List.of("sh", "-c",
        "mkdir -p out .git sub/.git && echo result > out/r.txt && echo x > .git/HEAD && echo y > sub/.git/c"), "Small", null);

    JsonNode run = api.awaitCompleted(emulator, runId);

    Map<String, byte[]> output = emulator.filesAt(run.get("outputCommitId").asText());
    assertThat(output.keySet()).containsExactly("input.txt", "out/r.txt");
    assertThat(new String(output.get("out/r.txt"))).isEqualTo("result\n");
    assertThat(emulator.headCommit()).isEqualTo(head);
  }

  @Test
  void findProjectAnswersTheIdThatStopTakes() {
    JsonNode project = api.get("/v4/gateway/projects/findProjectByOwnerAndName?ownerName=sluice&projectName=sluice-examples")
        .json();

    assertThat(project.get("id").asText()).isEqualTo(emulator.projectId()).matches("[0-9a-f]{24}");
    assertThat(api.get("/v4/gateway/projects/findProjectByOwnerAndName?ownerName=sluice&projectName=other").status())
        .isEqualTo(404);
  }

  @Test
  void unknownTierIs400NamingItAndTheKnownOnes() {
    ApiClient.Answer answer = api.post(p + "/runs", Map.of("command", List.of("true"), "tier", "XLarge"));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("message").asText()).contains("'XLarge'").contains("Small, Large, GPU (K80)");
  }

  @Test
  void runWithoutACommandOrWithAnUnknownCommitIs400() {
    assertThat(api.post(p + "/runs", Map.of("command", List.of(), "tier", "Small")).status()).isEqualTo(400);
    assertThat(api.post(p + "/runs", Map.of("tier", "Small")).status()).isEqualTo(400);
    assertThat(api.post(p + "/runs", "not json").status()).isEqualTo(400);
    ApiClient.Answer unknownCommit = api.post(p + "/runs",
        Map.of("command", List.of("true"), "commitId", "f".repeat(40)));
    assertThat(unknownCommit.status()).isEqualTo(400);
    assertThat(unknownCommit.json().get("message").asText()).contains("f".repeat(40));
  }

  @Test
  void anotherProjectIs404NamingTheOneServed() {
    ApiClient.Answer answer = api.get("/v1/projects/someone/else/runs");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.json().get("message").asText()).contains("sluice/sluice-examples");
  }

  @Test
  void directCommandRunsThroughAShellAsOneLine() {
    ApiClient.Answer answer = api.post(p + "/runs",
        Map.of("command", List.of("echo one", "&&", "echo two"), "isDirect", true, "tier", "Small"));
    String runId = answer.json().get("runId").asText();
    api.awaitCompleted(emulator, runId);

    assertThat(api.get(p + "/run/" + runId + "/stdout").json().get("stdout").asText()).isEqualTo("one\ntwo\n");
  }

  /** A command that waits until the file exists. */
  static List<String> waitFor(Path file) {
    return List.of("sh", "-c", "while [ ! -e '" + file + "' ]; do sleep 0.02; done");
  }

  static String sha1(String content) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(content.getBytes()));
  }
}
