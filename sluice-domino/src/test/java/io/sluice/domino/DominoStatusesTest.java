package io.sluice.domino;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.remote.spi.RunState;
import io.sluice.remote.spi.RunStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DominoStatusesTest {

  @ParameterizedTest
  @CsvSource({
      "Queued, QUEUED", "Scheduled, QUEUED", "Preparing, QUEUED", "Building, QUEUED", "Pulling, QUEUED",
      "Running, RUNNING", "Serving, RUNNING", "Finishing, RUNNING", "StopRequested, RUNNING", "Stopping, RUNNING",
      // A final word without an output commit is not over yet: Domino is still committing results.
      "Succeeded, RUNNING", "Failed, RUNNING", "Error, RUNNING", "Stopped, RUNNING"})
  void aRunWithoutOutputCommitIsNotOver(String status, RunStatus expected) {
    assertThat(DominoStatuses.state(new DominoRun("r", "t", status, "c", null, null)).status()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "Succeeded, 0, SUCCEEDED, ''",
      "Failed, 3, FAILED, Domino status Failed",
      "Error, , FAILED, Domino status Error",
      "Stopped, , CANCELLED, Domino status Stopped"})
  void onlySucceededWithAnOutputCommitIsASuccess(String status, Integer exit, RunStatus expected, String reason) {
    RunState state = DominoStatuses.state(new DominoRun("r", "t", status, "c", "out", exit));

    assertThat(state.status()).isEqualTo(expected);
    assertThat(state.exitCode()).isEqualTo(exit);
    assertThat(state.reason()).contains(reason);
  }
}
