package io.sluice.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an execution summary printed by {@code sluice run}. */
public final class Summaries {

  private static final Pattern HEADING = Pattern.compile("^\\* \\d+ (.+):$");
  private static final Pattern FAMILY = Pattern.compile("^\\s+- (?:\\d+ )?(\\w+)\\(");

  private Summaries() {}

  /** Each task family's status, from the summary's "* N status:" and "- N Family(...)" lines. */
  public static Map<String, String> statuses(String output) {
    Map<String, String> statuses = new LinkedHashMap<>();
    String status = null;
    for (String line : output.lines().toList()) {
      Matcher heading = HEADING.matcher(line);
      Matcher family = FAMILY.matcher(line);
      if (heading.matches()) {
        status = heading.group(1);
      } else if (!line.startsWith(" ")) {
        // "Why they ran:", "Notes:", the verdict: no longer a status's list.
        status = null;
      } else if (status != null && family.find()) {
        statuses.put(family.group(1), status);
      }
    }
    return statuses;
  }
}
