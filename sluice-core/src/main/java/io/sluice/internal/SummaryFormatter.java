package io.sluice.internal;

import io.sluice.ExitCode;
import io.sluice.RunResult;
import io.sluice.TaskId;
import io.sluice.TaskStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes the execution summary: tasks counted per status and grouped by family, with a varying
 * whole-number parameter collapsed into ranges ({@code Leaf(i=0..999)}), the reason of each
 * failure, and a one-line verdict.
 */
public final class SummaryFormatter {

  private static final int MAX_REASONS = 20;

  private SummaryFormatter() {}

  public static String format(RunResult result) {
    StringBuilder out = new StringBuilder("===== Sluice execution summary =====\n");
    if (result.schedulingError() != null) {
      return out.append(verdict(result)).append('\n').toString();
    }
    out.append("Scheduled ").append(plural(result.statuses().size(), "task")).append(" of which:\n");
    for (TaskStatus status : TaskStatus.values()) {
      List<TaskId> ids = result.statuses().entrySet().stream()
          .filter(e -> e.getValue() == status).map(Map.Entry::getKey).toList();
      if (ids.isEmpty()) {
        continue;
      }
      out.append("* ").append(ids.size()).append(' ').append(status.label()).append(":\n");
      boolean withReasons = status != TaskStatus.DONE && status != TaskStatus.COMPLETE
          && status != TaskStatus.WOULD_RUN;
      if (withReasons) {
        int shown = 0;
        for (TaskId id : ids) {
          if (shown++ == MAX_REASONS) {
            out.append("    - ... and ").append(ids.size() - MAX_REASONS).append(" more\n");
            break;
          }
          String reason = result.reasons().getOrDefault(id, "");
          out.append("    - ").append(id).append(reason.isEmpty() ? "" : ": " + indent(reason)).append('\n');
        }
      } else {
        groupByFamily(ids).forEach((family, members) ->
            out.append("    - ").append(members.size()).append(' ').append(collapse(family, members)).append('\n'));
      }
    }
    whyTheyRan(result, out);
    if (!result.notes().isEmpty()) {
      out.append("Notes:\n");
      result.notes().forEach((id, note) -> out.append("    - ").append(id).append(": ").append(indent(note)).append('\n'));
    }
    return out.append('\n').append(verdict(result)).append('\n').toString();
  }

  /**
   * Why the tasks that ran (or would) were out of date, the first few of them; the HTML report has
   * every one.
   */
  private static void whyTheyRan(RunResult result, StringBuilder out) {
    List<Map.Entry<TaskId, String>> why = result.statuses().entrySet().stream()
        .filter(e -> e.getValue() == TaskStatus.DONE || e.getValue() == TaskStatus.WOULD_RUN)
        .map(e -> Map.entry(e.getKey(), result.reasons().getOrDefault(e.getKey(), "")))
        .filter(e -> !e.getValue().isEmpty())
        // A task that ran for want of its output is what every first run is made of: not worth a line.
        .filter(e -> result.statuses().get(e.getKey()) == TaskStatus.WOULD_RUN || !onlyMissingOutputs(e.getValue()))
        .toList();
    if (why.isEmpty()) {
      return;
    }
    boolean dryRun = result.count(TaskStatus.WOULD_RUN) > 0;
    out.append(dryRun ? "Why they would run:\n" : "Why they ran:\n");
    for (int i = 0; i < why.size(); i++) {
      if (i == MAX_REASONS) {
        out.append("    - ... and ").append(why.size() - MAX_REASONS).append(" more\n");
        break;
      }
      out.append("    - ").append(why.get(i).getKey()).append(": ").append(indent(why.get(i).getValue())).append('\n');
    }
  }

  private static boolean onlyMissingOutputs(String reasons) {
    for (String reason : reasons.split("; ")) {
      if (!(reason.startsWith("output ") && reason.endsWith(" missing"))) {
        return false;
      }
    }
    return true;
  }

  public static String verdict(RunResult result) {
    if (result.schedulingError() != null) {
      return "Scheduling error, nothing ran: " + result.schedulingError();
    }
    long ran = result.count(TaskStatus.DONE);
    long complete = result.count(TaskStatus.COMPLETE);
    if (result.exitCode() == ExitCode.SUCCESS) {
      if (result.count(TaskStatus.WOULD_RUN) > 0) {
        return "Dry run: " + plural(result.count(TaskStatus.WOULD_RUN), "task") + " would run, "
            + complete + " complete already.";
      }
      if (ran == 0) {
        return "Nothing to do: everything was complete already.";
      }
      return "Success: " + plural(ran, "task") + " ran, " + complete + " complete already.";
    }
    List<String> parts = new ArrayList<>();
    for (TaskStatus status : List.of(TaskStatus.FAILED, TaskStatus.MISSING, TaskStatus.UPSTREAM_FAILED,
        TaskStatus.ALREADY_RUNNING, TaskStatus.INTERRUPTED)) {
      long count = result.count(status);
      if (count > 0) {
        parts.add(count + " " + status.label());
      }
    }
    String head = result.exitCode() == ExitCode.INTERRUPTED ? "Interrupted" : "Failed";
    return head + ": " + String.join(", ", parts) + "; " + ran + " ran successfully (exit code "
        + result.exitCode().code() + ", " + result.exitCode().meaning() + ").";
  }

  private static String indent(String reason) {
    return Printable.lines(reason.strip()).replace("\n", "\n        ");
  }

  private static Map<String, List<TaskId>> groupByFamily(List<TaskId> ids) {
    Map<String, List<TaskId>> groups = new LinkedHashMap<>();
    for (TaskId id : ids) {
      groups.computeIfAbsent(id.family(), k -> new ArrayList<>()).add(id);
    }
    return groups;
  }

  /** One family's tasks on one line. */
  static String collapse(String family, List<TaskId> members) {
    if (members.size() == 1) {
      return members.get(0).toString();
    }
    try {
      List<String> names = new ArrayList<>(members.get(0).params().keySet());
      List<String> parts = new ArrayList<>();
      for (String name : names) {
        Set<Object> values = new LinkedHashSet<>();
        for (TaskId id : members) {
          values.add(id.params().get(name));
        }
        parts.add(name + "=" + describeValues(values));
      }
      return family + "(" + String.join(", ", parts) + ")";
    } catch (RuntimeException | Error e) {
      // A parameter's hashCode or equals threw: the summary still lists the tasks, uncollapsed.
      return members.stream().map(TaskId::toString).collect(java.util.stream.Collectors.joining(", "));
    }
  }

  private static String describeValues(Set<Object> values) {
    if (values.size() == 1) {
      return String.valueOf(values.iterator().next());
    }
    if (values.stream().allMatch(v -> v instanceof Integer || v instanceof Long)) {
      List<Long> sorted = values.stream().map(v -> ((Number) v).longValue()).sorted().toList();
      List<String> ranges = new ArrayList<>();
      long start = sorted.get(0);
      long previous = start;
      for (int i = 1; i <= sorted.size(); i++) {
        if (i < sorted.size() && sorted.get(i) == previous + 1) {
          previous = sorted.get(i);
          continue;
        }
        ranges.add(start == previous ? String.valueOf(start) : start + ".." + previous);
        if (i < sorted.size()) {
          start = sorted.get(i);
          previous = start;
        }
      }
      return ranges.size() <= 5 ? String.join(",", ranges)
          : String.join(",", ranges.subList(0, 5)) + ",... (" + values.size() + " values)";
    }
    List<String> shown = values.stream().limit(3).map(Objects::toString).collect(Collectors.toList());
    return "{" + String.join(",", shown) + (values.size() > 3 ? ",... (" + values.size() + " values)" : "") + "}";
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
