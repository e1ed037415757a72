package io.sluice.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * The {@code sluice} command line. A single-file pipeline runs it from its {@code main}:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   Cli.run(args, HelloPipeline.class);   // java -cp sluice.jar HelloPipeline.java HelloWorld
 * }
 * }</pre>
 *
 * <p>When the first argument is not a command, {@code run} is meant: {@code sluice Predict} is
 * {@code sluice run Predict}.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
    description = "Runs pipelines of tasks that depend on each other's outputs.",
    subcommands = {RunCommand.class, StatusCommand.class, DepsCommand.class, GraphCommand.class, ListCommand.class,
        CleanCommand.class, RunsCommand.class, ShowCommand.class, TaskHistoryCommand.class, ServerCommand.class,
        InitCommand.class, CompletionCommand.class},
    footer = {"", "Exit codes: 0 success or nothing to do, 1 a task failed, 2 scheduling error,",
        "3 missing external data, 4 not run because upstream failed, 5 already running elsewhere,",
        "130 interrupted."})
public final class Cli implements Runnable {

  private static final Set<String> COMMANDS = Set.of("run", "status", "deps", "graph", "list", "clean", "runs", "show",
      "history", "server", "init", "completion", "help",
      "-h", "--help", "-V", "--version");

  private static final Set<String> PRINT_ONLY = Set.of("", "help", "-h", "--help", "-V", "--version", "completion");

  private final List<Class<?>> pipelines;

  @Spec
  CommandLine.Model.CommandSpec spec;

  Cli(List<Class<?>> pipelines) {
    this.pipelines = pipelines;
  }

  /** Runs the command and exits the process with its exit code. */
  public static void run(String[] args, Class<?>... pipelines) {
    System.exit(execute(args, pipelines));
  }

  /** Runs the command and returns its exit code. */
  public static int execute(String[] args, Class<?>... pipelines) {
    // Libraries that log through java.util.logging (Tribuo, JGit) print like everything else.
    // Commands that only print (help, version, a completion script) skip it: it costs a tenth of
    // their start-up.
    if (!PRINT_ONLY.contains(args.length == 0 ? "" : args[0]) && !SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    List<String> arguments = new ArrayList<>(List.of(args));
    if (!arguments.isEmpty() && !COMMANDS.contains(arguments.get(0))) {
      arguments.add(0, "run");
    }
    CommandLine commandLine = commandLine(new Cli(List.of(pipelines)));
    return commandLine.execute(arguments.toArray(String[]::new));
  }

  static CommandLine commandLine(Cli cli) {
    CommandLine commandLine = new CommandLine(cli, new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (type == RunCommand.class || type == StatusCommand.class || type == DepsCommand.class
            || type == GraphCommand.class || type == ListCommand.class || type == CleanCommand.class
            || type == RunsCommand.class || type == ShowCommand.class || type == TaskHistoryCommand.class
            || type == ServerCommand.class) {
          return type.cast(type.getDeclaredConstructor(Cli.class).newInstance(cli));
        }
        return CommandLine.defaultFactory().create(type);
      }
    });
    // Task parameters (--alpha 0.5) are not sluice options: they reach the command as PARAMS.
    commandLine.setUnmatchedOptionsArePositionalParams(true);
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof CliException) {
        cmd.getErr().println("sluice: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    commandLine.setParameterExceptionHandler((e, args) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("sluice: " + e.getMessage());
      err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
      return 2;
    });
    return commandLine;
  }

  List<Class<?>> pipelines() {
    return pipelines;
  }

  @Override
  public void run() {
    // The command line that runs this, with its factory: a new CommandLine(this) could not build the subcommands.
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version and commit of the build, from the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      BuildInfo build = BuildInfo.current();
      // Runtime.version() as text, without the lambdas its toString() bootstraps: a fifth of --version's start-up.
      String java = System.getProperty("java.runtime.version", System.getProperty("java.version"));
      return new String[] {build.describe(), "Java " + java + " (" + System.getProperty("java.home") + ")"};
    }
  }
}
