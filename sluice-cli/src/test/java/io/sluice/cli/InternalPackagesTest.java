package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * An {@code internal} package is for its own module: another module's main code may not use it.
 * The sluice command depends on every module, so its test sees them all. Tests are left out:
 * a module's tests may use what they check.
 */
class InternalPackagesTest {

  /** The modules by package; a class of none of these is in sluice-core. */
  private static final List<String> MODULE_PACKAGES = List.of(
      "io.sluice.remote", "io.sluice.slurm", "io.sluice.domino", "io.sluice.history", "io.sluice.server",
      "io.sluice.cli", "io.sluice.examples", "io.sluice.bench");

  /**
   * The only internal classes another module may use, each with why. Keep it short: a helper
   * that more modules need belongs in a public package (an {@code spi}), not on this list.
   */
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "io.sluice.cli", Set.of(
          // "Did you mean" suggestions, worded alike in the command line and the core.
          "io.sluice.internal.Names",
          // Messages shown on the terminal escaped as the core's summary and task ids escape them.
          "io.sluice.internal.Printable",
          // Durations in sluice.toml (lock_timeout) read as parameters are: 90s, 5m, PT1H.
          "io.sluice.internal.ParamConverter",
          // Ctrl-C cancels the run: the signal handling the core's program tasks use too.
          "io.sluice.internal.Signals",
          // The run pins the commit remote runs snapshot before any task starts.
          "io.sluice.remote.internal.RemoteSession",
          // `sluice clean`, and the end of each run, prune by the retention policy of remote state.
          "io.sluice.remote.internal.Retention"),
      "io.sluice.remote", Set.of(
          "io.sluice.internal.ParamConverter",
          // The local backend runs the remote command as the core runs a program task.
          "io.sluice.internal.ProgramRunner",
          // Local runs and snapshot builds are contained like program tasks: one session each,
          // ended as a whole, and the same watchdog for the JVM's death.
          "io.sluice.internal.ProcessGroup"),
      "io.sluice.history", Set.of(
          // A task's log file is recorded under the name the engine gives it.
          "io.sluice.internal.LogFiles"),
      "io.sluice.domino", Set.of(
          "io.sluice.internal.ParamConverter"),
      "io.sluice.slurm", Set.of(
          "io.sluice.internal.ParamConverter",
          // A backend writes the run's script and reads its files as the local backend does.
          "io.sluice.remote.internal.Distribution",
          "io.sluice.remote.internal.RunFiles"));

  @Test
  void noModuleUsesAnotherModulesInternalPackagesBeyondTheListedExceptions() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.sluice");
    assertThat(classes.stream().map(c -> module(c.getPackageName())).distinct())
        .as("the modules this test sees")
        .contains("io.sluice", "io.sluice.remote", "io.sluice.slurm", "io.sluice.cli");

    Set<String> violations = new TreeSet<>();
    for (JavaClass origin : classes) {
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        JavaClass target = dependency.getTargetClass();
        String from = module(origin.getPackageName());
        String to = module(target.getPackageName());
        if (isInternal(target.getPackageName()) && !from.equals(to)
            && !ALLOWED.getOrDefault(from, Set.of()).contains(target.getName().replaceAll("\\$.*", ""))) {
          violations.add(origin.getName() + " uses " + target.getName() + " (" + dependency.getDescription() + ")");
        }
      }
    }

    assertThat(violations)
        .as("classes that reach into another module's internal package; use its public API, or move"
            + " the helper to a public package and say why")
        .isEmpty();
  }

  private static boolean isInternal(String packageName) {
    return packageName.startsWith("io.sluice.")
        && (packageName.endsWith(".internal") || packageName.contains(".internal."));
  }

  private static String module(String packageName) {
    for (String module : MODULE_PACKAGES) {
      if (packageName.equals(module) || packageName.startsWith(module + ".")) {
        return module;
      }
    }
    return "io.sluice";
  }
}
