package io.sluice.scenarios.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.history.HistoryConfig;
import io.sluice.history.HistoryDatabase;
import io.sluice.history.RunRecord;
import io.sluice.history.TaskRecord;
import io.sluice.scenarios.remote.PipelineProject.Result;
import org.junit.jupiter.api.Test;

/**
 * A real remote run (local backend, real processes) is recorded in the history with the details
 * its task's events carry: backend, the backend's run id, tier, the whole commit, queue and run time.
 */
class RemoteRunHistoryScenarioTest extends PipelineProjectScenario {

  @Test
  void aRemoteRunIsRecordedWithItsBackendRunIdTierWholeCommitAndRunTime() throws Exception {
    Result result = project.run("Consume");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    String head = project.git().getRepository().resolve("HEAD").name();

    try (HistoryDatabase history = HistoryDatabase.open(HistoryConfig.sqlite(file(".sluice")))) {
      RunRecord run = history.runs(1).get(0);
      TaskRecord.Remote remote = history.tasks(run.info().id()).stream()
          .filter(task -> task.family().equals("RemoteRun")).findFirst().orElseThrow().remote();

      assertThat(remote.backend()).isEqualTo("local");
      assertThat(remote.runId()).matches("run-[0-9-]+");
      assertThat(remote.tier()).isEqualTo("Small");
      assertThat(remote.commit()).isEqualTo(head);
      assertThat(remote.ran()).isNotNull().isPositive();
      assertThat(remote.queued()).isNotNull().satisfies(queued -> assertThat(queued.isNegative()).isFalse());
    }
  }
}
