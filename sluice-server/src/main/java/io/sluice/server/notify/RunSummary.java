package io.sluice.server.notify;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a notification tells of a run.
 *
 * @param runId the run's id in the history, or null when the history is off
 * @param rootTask the task the run was asked for
 * @param exitCode the run's exit code
 * @param verdict the summary's one line ({@code Failure: 1 task failed, 3 ran})
 * @param failures the first failed tasks with their errors, one line each
 * @param elapsed how long it took
 * @param host the machine it ran on
 * @param link the run's page on a {@code sluice server}, or null when {@code [notify] server_url} is not set
 */
public record RunSummary(String runId, String rootTask, int exitCode, String verdict, List<String> failures,
    Duration elapsed, String host, String link) {

  public RunSummary {
    Objects.requireNonNull(rootTask, "rootTask");
    Objects.requireNonNull(verdict, "verdict");
    failures = List.copyOf(failures);
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(host, "host");
  }

  /** The subject line: {@code Sluice: ScoreReport failed (exit 1) on host-1}. */
  public String title(NotifyEvent event) {
    String what = switch (event) {
      case FAILURE -> "failed (exit " + exitCode + ")";
      case SUCCESS -> "succeeded";
      case RECOVERY -> "succeeded again";
    };
    return "Sluice: " + rootTask + " " + what + " on " + host;
  }

  /** The message: the title, the verdict, the failures, the run and its link. */
  public String text(NotifyEvent event) {
    StringBuilder text = new StringBuilder(title(event)).append('\n').append(verdict).append('\n');
    for (String failure : failures) {
      text.append("- ").append(failure).append('\n');
    }
    text.append("Run ").append(runId == null ? "(not recorded)" : runId).append(", ")
        .append(elapsed.toSeconds()).append(" s");
    if (link != null) {
      text.append('\n').append(link);
    }
    return text.toString();
  }
}
