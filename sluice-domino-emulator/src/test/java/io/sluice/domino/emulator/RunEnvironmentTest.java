package io.sluice.domino.emulator;

import static io.sluice.domino.emulator.ApiClient.project;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run's command finds around it: Domino's variables, and the API to start siblings with. */
class RunEnvironmentTest {

  @TempDir Path temp;
  DominoEmulator emulator;
  ApiClient api;
  String p;

  @BeforeEach
  void start() throws Exception {
    emulator = DominoEmulator.start(DominoEmulator.Options.defaults().dataDir(temp));
    api = new ApiClient(emulator);
    p = project(emulator);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void commandGetsDominosVariablesAndOnlyTheEmulatorsPathHomeLangAndJavaHome() throws Exception {
    String runId = api.startRun(emulator, List.of("sh", "-c", "env > env.txt; pwd > pwd.txt"), "GPU (K80)", null);
    JsonNode run = api.awaitCompleted(emulator, runId);

    Map<String, byte[]> output = emulator.filesAt(run.get("outputCommitId").asText());
    Map<String, String> env = new HashMap<>();
    for (String line : new String(output.get("env.txt")).split("\n")) {
      int equals = line.indexOf('=');
      env.put(line.substring(0, equals), line.substring(equals + 1));
    }
    assertThat(env).containsEntry("DOMINO_API_HOST", emulator.url().toString())
        .containsEntry("DOMINO_USER_API_KEY", "emulator-key")
        .containsEntry("DOMINO_PROJECT_OWNER", "sluice")
        .containsEntry("DOMINO_PROJECT_NAME", "sluice-examples")
        .containsEntry("DOMINO_RUN_ID", runId)
        .containsEntry("DOMINO_HARDWARE_TIER_NAME", "GPU (K80)")
        .containsEntry("DOMINO_WORKING_DIR", new String(output.get("pwd.txt")).trim())
        .containsEntry("PATH", System.getenv("PATH"))
        .containsKey("JAVA_HOME");
    assertThat(env.keySet()).allMatch(name -> name.startsWith("DOMINO_")
        || Set.of("PATH", "HOME", "LANG", "JAVA_HOME", "PWD", "SHLVL", "_", "OLDPWD").contains(name), "allowed");
  }

  @Test
  void runStartsASiblingRunAtItsOwnInputCommitThroughTheApi() throws Exception {
    assumeTrue(RunStatusTest.onPath("curl"), "curl is not installed");
    // What a pipeline driver running as a Domino run does: find its own commit, start a run
    // there, wait for it, fetch its output through files and blobs.
    String driver = """
        set -e
        H="X-Domino-Api-Key: $DOMINO_USER_API_KEY"
        P="$DOMINO_API_HOST/v1/projects/$DOMINO_PROJECT_OWNER/$DOMINO_PROJECT_NAME"
        field() { sed "s/.*\\"$1\\":\\"\\([0-9a-f]*\\)\\".*/\\1/"; }
        commit=$(curl -sf -H "$H" "$P/runs/$DOMINO_RUN_ID" | field commitId)
        child=$(curl -sf -H "$H" -X POST -d "{\\"command\\":[\\"child.sh\\"],\\"isDirect\\":false,\\"commitId\\":\\"$commit\\",\\"title\\":\\"child\\",\\"tier\\":\\"Small\\",\\"publishApiEndpoint\\":false}" "$P/runs" | field runId)
        until curl -sf -H "$H" "$P/runs/$child" | grep -q '"isCompleted":true'; do sleep 0.05; done
        out=$(curl -sf -H "$H" "$P/runs/$child" | field outputCommitId)
        key=$(curl -sf -H "$H" "$P/files/$out/result.txt" | field key)
        curl -sf -H "$H" "$P/blobs/$key" > from-child.txt
        echo "$child" > child-id.txt
        """;
    api.put(p + "/driver.sh", driver.getBytes());
    api.put(p + "/child.sh", "cat version.txt > result.txt; echo child >> result.txt".getBytes());
    String input = api.put(p + "/version.txt", "v1\n".getBytes()).json().get("commitId").asText();

    String parentId = api.startRun(emulator, List.of("driver.sh"), "Small", input);
    api.put(p + "/version.txt", "v2\n".getBytes()); // the head moves on; the child must not see it
    JsonNode parent = api.awaitCompleted(emulator, parentId);

    assertThat(parent.get("status").asText())
        .as(api.get(p + "/run/" + parentId + "/stdout").text()).isEqualTo("Succeeded");
    Map<String, byte[]> output = emulator.filesAt(parent.get("outputCommitId").asText());
    assertThat(new String(output.get("from-child.txt"))).isEqualTo("v1\nchild\n");
    String childId = new String(output.get("child-id.txt")).trim();
    assertThat(emulator.run(childId)).get().satisfies(child -> {
      assertThat(child.commitId()).isEqualTo(input);
      assertThat(child.status()).isEqualTo("Succeeded");
    });
  }
}
