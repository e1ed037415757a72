package io.sluice.domino;

import io.sluice.remote.spi.RemoteCommand;
import io.sluice.remote.spi.RunSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The command list a Domino run gets for a run spec. A Java command runs {@code java} with the
 * commit's runtime on the classpath and the tier's heap rule; the run's variables (and
 * {@code SLUICE_RUN_ID}, {@code SLUICE_COMMIT}, {@code SLUICE_TIER} for Java commands) are set
 * with {@code env}, since Domino's API takes no environment; a working directory other than the
 * project root is entered with {@code sh -c 'cd ...'}.
 */
final class DominoCommand {

  private DominoCommand() {}

  static List<String> argv(RunSpec spec, String commit, List<String> classpath) {
    boolean java = RemoteCommand.isJava(spec.command());
    String workdir = spec.workdir() == null ? "" : spec.workdir();
    String up = workdir.isEmpty() ? "" : "../".repeat(workdir.split("/").length);
    List<String> command = RemoteCommand.argv(spec.command(), "java",
        classpath.stream().map(entry -> up + entry).toList(), RemoteCommand.heapOptions(spec.tier()));
    Map<String, String> variables = new TreeMap<>();
    if (java) {
      variables.put("SLUICE_RUN_ID", spec.runId());
      variables.put("SLUICE_COMMIT", commit);
      variables.put("SLUICE_TIER", spec.tier().name());
    }
    variables.putAll(spec.environment());
    List<String> argv = new ArrayList<>();
    if (!workdir.isEmpty()) {
      argv.addAll(List.of("sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", workdir));
    }
    if (!variables.isEmpty()) {
      argv.add("env");
      variables.forEach((name, value) -> argv.add(name + "=" + value));
    }
    argv.addAll(command);
    return argv;
  }
}
