package io.sluice.domino;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Domino run as {@code GET P/runs} and {@code GET P/runs/{id}} describe it (the fields Sluice uses).
 *
 * @param id the run's id
 * @param title the title given at submission
 * @param status Domino's status word (Queued, Running, Succeeded, Failed, Error, Stopped...)
 * @param commitId the commit it runs at
 * @param outputCommitId the commit of its results, null until it finished
 * @param exitCode the command's exit code when Domino says it, else null
 */
record DominoRun(String id, String title, String status, String commitId, String outputCommitId, Integer exitCode) {

  static DominoRun of(JsonNode run) {
    return new DominoRun(text(run, "id"), text(run, "title"), text(run, "status"), text(run, "commitId"),
        text(run, "outputCommitId"), run.hasNonNull("exitCode") ? run.get("exitCode").asInt() : null);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** Over: Domino sets the output commit once the run ended and its results are committed. */
  boolean finished() {
    return outputCommitId != null && !outputCommitId.isEmpty();
  }
}
