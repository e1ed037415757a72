package io.sluice.cli;

import io.sluice.RunResult;
import io.sluice.Settings;
import io.sluice.Sluice;
import io.sluice.internal.Names;
import io.sluice.internal.ParamConverter;
import io.sluice.internal.Signals;
import io.sluice.remote.internal.RemoteSession;
import io.sluice.remote.internal.Retention;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice run TASK}: runs a task and whatever it needs that is not done. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs TASK and whatever it requires that is not complete, then prints a summary.")
final class RunCommand extends TaskCommand implements Callable<Integer> {

  @Option(names = {"-w", "--workers"}, paramLabel = "N",
      description = "Tasks run at once (default: [core] workers in sluice.toml, else 1).")
  Integer workers;

  @Option(names = "--dry-run", description = "Show what would run, run nothing.")
  boolean dryRun;

  @Option(names = "--force", description = "Re-run TASK although it is complete.")
  boolean force;

  @Option(names = "--force-upstream", paramLabel = "FAMILY",
      description = "Re-run every task of FAMILY in the graph and everything downstream (repeatable).")
  List<String> forceUpstream = new ArrayList<>();

  @Option(names = "--lock-timeout", paramLabel = "DURATION",
      description = "How long to wait for another process running the same task (default 24h; 0 = do not wait).")
  String lockTimeout;

  @Option(names = "--timeout-grace", paramLabel = "DURATION",
      description = "How long a task past its timeout has to stop once interrupted, before it fails and its thread"
          + " is abandoned (default: [core] timeout_grace in sluice.toml, else 5s).")
  String timeoutGrace;

  @Option(names = "--fsync", description = "fsync every output before renaming it into place (slower; default: [core] fsync).")
  boolean fsync;

  @Option(names = "--no-progress", description = "Plain log lines even on a terminal.")
  boolean noProgress;

  @Option(names = "--report", paramLabel = "FILE.html",
      description = "Write a self-contained HTML report of the run: every task, its status and duration, a timeline.")
  java.nio.file.Path report;

  @Option(names = "--backend", paramLabel = "NAME",
      description = "Where remote runs go: local (default), or another installed backend ([remote] backend).")
  String backend;

  @Option(names = "--snapshot-dirty",
      description = "Let remote runs use the working tree with uncommitted changes, snapshotted as a commit on no branch.")
  boolean snapshotDirty;

  @Spec
  CommandSpec spec;

  RunCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() throws Exception {
    Session session = Session.open(common, cli.pipelines());
    Session.Root root = session.rootTask(task, parameters);
    Set<String> forced = new LinkedHashSet<>();
    for (String family : forceUpstream) {
      if (!session.catalog.hasFamily(family)) {
        throw new CliException("--force-upstream " + family + ": unknown task family."
            + Names.closest(family, session.catalog.families()).map(c -> " Did you mean '" + c + "'?").orElse(""));
      }
      forced.add(family);
    }
    int workerCount = workers != null ? workers : orDefault(session.config.intSetting("core", "workers"), 1);
    if (workerCount < 1) {
      throw new CliException((workers != null ? "--workers is " + workerCount
          : session.config.where() + ": [core] workers = " + workerCount + " is not allowed") + "; it must be 1 or more");
    }
    Duration timeout = lockTimeout != null ? duration("--lock-timeout", lockTimeout)
        : orDefault(session.config.durationSetting("core", "lock_timeout"), Duration.ofHours(24));
    Duration grace = timeoutGrace != null ? duration("--timeout-grace", timeoutGrace)
        : session.config.durationSetting("core", "timeout_grace");
    boolean durable = fsync || Boolean.TRUE.equals(session.config.boolSetting("core", "fsync"));

    Settings settings = session.config.settings();
    if (backend != null) {
      settings = settings.with("remote", "backend", backend);
    }
    if (snapshotDirty) {
      settings = settings.with("remote", "snapshot_dirty", true);
    }
    settings = RemoteSession.pinStartCommit(settings);

    PrintStream out = System.out;
    java.nio.file.Path state = RunHistory.stateDir(stateDir, session.config);
    ProgressDisplay progress = ProgressDisplay.create(out, !noProgress, workerCount,
        dryRun ? null : RunHistory.pastDurations(session.config, state));
    Sluice.Builder builder = Sluice.builder();
    if (report != null) {
      builder.listener(new HtmlReport(report));
    }
    if (grace != null) {
      builder.timeoutGrace(grace);
    }
    io.sluice.server.notify.NotifySettings notify = RunNotifications.settings(session.config);
    builder.stateDir(state)
        .workers(workerCount)
        .resourceLimits(session.config.resources())
        .force(force)
        .forceUpstream(forced)
        .dryRun(dryRun)
        .lockTimeout(timeout)
        .fsync(durable)
        .listener(progress)
        .settings(settings)
        .parameterValues(root.values());
    // Started last, once nothing else can refuse the run: it is closed only after the run.
    java.util.Optional<io.sluice.history.HistoryRecorder> history = dryRun ? java.util.Optional.empty()
        : RunHistory.start(session.config, settings, state, io.sluice.TaskId.of(root.task()).toString(),
            spec.commandLine().getParseResult().originalArgs());
    history.ifPresent(builder::listener);
    java.util.Optional<io.sluice.history.TaskLeases> leases;
    try {
      leases = dryRun ? java.util.Optional.empty() : RunHistory.leases(session.config, state, history);
    } catch (RuntimeException e) {
      history.ifPresent(io.sluice.history.HistoryRecorder::close);
      throw e;
    }
    leases.ifPresent(builder::claims);
    Sluice sluice = builder.build();
    RunResult result = null;
    try (AutoCloseable signals = Signals.onInterrupt(() -> {
      progress.interrupted();
      sluice.cancel();
    })) {
      result = sluice.run(root.task());
    } finally {
      leases.ifPresent(io.sluice.history.TaskLeases::close);
      progress.close();
      RunResult ended = result;
      history.ifPresent(recorder -> {
        if (ended != null) {
          recorder.exitCode(ended.exitCode().code());
        }
        recorder.close();
      });
    }
    out.println();
    out.print(result.summary());
    out.flush();
    if (!dryRun) {
      RunNotifications.send(notify, session.config, state, history, io.sluice.TaskId.of(root.task()).toString(), result);
      pruneRemoteLeftovers(settings);
    }
    return result.exitCode().code();
  }

  /** What remote runs left that the retention policy lets go: a run never fails for it. */
  private static void pruneRemoteLeftovers(Settings settings) {
    try {
      Retention.forProject(java.nio.file.Path.of(""), settings, java.time.Clock.systemUTC()).ifPresent(retention -> {
        try {
          retention.apply();
        } catch (java.io.IOException e) {
          org.slf4j.LoggerFactory.getLogger("sluice").warn("Could not remove old remote runs: {}", e.getMessage());
        }
      });
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger("sluice").warn("Could not apply [retention]: {}", e.getMessage());
    }
  }

  private static Duration duration(String option, String text) {
    Duration duration;
    try {
      duration = ParamConverter.parseDuration(text);
    } catch (RuntimeException e) {
      throw new CliException(option + " " + text + " is not a duration such as 90s, 5m, 2h or PT1H");
    }
    if (duration.isNegative()) {
      throw new CliException(option + " " + text + " is negative; give 0 or more, such as 90s, 5m, 2h or PT1H");
    }
    return duration;
  }

  private static <T> T orDefault(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
