package io.sluice.remote.spi;

import io.sluice.remote.Tier;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules every backend applies to a run's command: a first word ending in {@code .java} is a
 * single-file pipeline run by Java's source launcher, {@code sluice} is the Sluice command, both
 * with the Sluice runtime on the classpath; anything else runs as it is. A Java command's heap is
 * kept to 3/4 of the tier's memory, since a JVM sizes its heap from the machine, not the limit.
 */
public final class RemoteCommand {

  /** The smallest heap given to a Java command, whatever the tier's memory. */
  static final long MIN_HEAP_MB = 64;

  private RemoteCommand() {}

  /** Whether the command runs in a JVM started by the backend ({@code X.java ...} or {@code sluice ...}). */
  public static boolean isJava(List<String> command) {
    String first = command.get(0);
    return first.endsWith(".java") || first.equals("sluice");
  }

  /**
   * The JVM options that keep a Java command inside the tier's memory ({@code -Xmx} at 3/4 of
   * it, at least 64 MiB); none when the tier sets no memory.
   */
  public static List<String> heapOptions(Tier tier) {
    if (tier.memoryMb() == 0) {
      return List.of();
    }
    return List.of("-Xmx" + Math.max(MIN_HEAP_MB, tier.memoryMb() * 3 / 4) + "m");
  }

  /**
   * The argv that runs the command: for a Java command, {@code java} with the options and the
   * classpath, then the source file or Sluice's main class and the arguments; anything else
   * unchanged.
   *
   * @param java the java executable on the remote side
   * @param classpath the classpath entries, as the remote side names them
   */
  public static List<String> argv(List<String> command, String java, List<String> classpath,
      List<String> javaOptions) {
    if (!isJava(command)) {
      return command;
    }
    String first = command.get(0);
    List<String> full = new ArrayList<>();
    full.add(java);
    full.addAll(javaOptions);
    full.add("-cp");
    full.add(String.join(File.pathSeparator, classpath));
    full.add(first.equals("sluice") ? "io.sluice.cli.Main" : first);
    full.addAll(command.subList(1, command.size()));
    return full;
  }
}
