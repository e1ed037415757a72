package io.sluice.server.schedule;

import io.sluice.history.RunIds;
import io.sluice.history.ScheduleFire;
import java.security.SecureRandom;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the schedules in the server: one thread looks at the {@link Clock} every tick, carries out the
 * {@link Scheduler}'s decisions by starting processes with the {@link RunLauncher}, and keeps every fire in
 * the {@link ScheduleLog}. Every change of the scheduler's state happens on that one thread.
 */
public final class ScheduleService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScheduleService.class);
  private static final DateTimeFormatter LOG_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
      .withZone(ZoneOffset.UTC);

  /** What the pages show of a schedule besides its fires. */
  public record State(Schedule schedule, Instant next, boolean running, int queued) {}

  private final ScheduleLog log;
  private final RunLauncher launcher;
  private final Clock clock;
  private final Path logDir;
  private final String host;
  private final ScheduledExecutorService thread;
  private final Scheduler scheduler;
  private final SecureRandom random = new SecureRandom();

  private ScheduleService(List<Schedule> schedules, ScheduleLog log, RunLauncher launcher, Clock clock,
      Path logDir, String host) {
    this.log = log;
    this.launcher = launcher;
    this.clock = clock;
    this.logDir = logDir;
    this.host = host;
    Map<String, Instant> lastDue = new HashMap<>();
    for (Schedule schedule : schedules) {
      try {
        log.lastDue(schedule.name()).ifPresent(due -> lastDue.put(schedule.name(), due));
      } catch (Exception e) {
        LOG.warn("Cannot read when schedule {} last ran ({}); it catches up nothing", schedule.name(), e.getMessage());
      }
    }
    this.scheduler = new Scheduler(schedules, clock.instant(), lastDue);
    this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread t = new Thread(runnable, "sluice-schedules");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts looking at the clock every {@code tick} (real time).
   *
   * @param logDir where each run's output goes, one file per run
   * @param host this machine's name, as {@code sluice run} records it (the fires name their runs by host and pid)
   */
  public static ScheduleService start(List<Schedule> schedules, ScheduleLog log, RunLauncher launcher, Clock clock,
      Duration tick, Path logDir, String host) {
    if (tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("The schedules' tick " + tick + " is not positive");
    }
    ScheduleService service = new ScheduleService(schedules, log, launcher, clock, logDir, host);
    service.thread.scheduleWithFixedDelay(service::tick, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    return service;
  }

  /**
   * Starts a run of {@code name} now, under its overlap rule, and answers what became of it.
   *
   * @throws IllegalArgumentException when there is no such schedule
   */
  public ScheduleFire runNow(String name) throws InterruptedException {
    try {
      return thread.submit(() -> carryOut(scheduler.manual(name, clock.instant()))).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Each schedule with its next due time and whether a run of it is going. */
  public List<State> states() throws InterruptedException {
    try {
      return thread.submit(() -> scheduler.schedules().stream().map(s -> new State(s,
          scheduler.next(s.name()).orElse(null), scheduler.running(s.name()), scheduler.queued(s.name()))).toList())
          .get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The schedule of this name, if any. */
  public Optional<Schedule> schedule(String name) {
    return scheduler.schedules().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private void tick() {
    try {
      for (Scheduler.Decision decision : scheduler.tick(clock.instant())) {
        carryOut(decision);
      }
    } catch (RuntimeException e) {
      // The thread must go on ticking whatever one tick met.
      LOG.warn("A schedule tick failed: {}", e.toString(), e);
    }
  }

  private ScheduleFire carryOut(Scheduler.Decision decision) {
    Schedule schedule = decision.schedule();
    Instant now = clock.instant();
    ScheduleFire fire;
    if (decision.outcome() == Scheduler.Outcome.START) {
      Path logFile = logDir.resolve(schedule.name() + "-" + LOG_NAME.format(now) + ".log");
      // The id's time is the real one (the clock may be a test's): ids sort by when runs really started.
      String runId = RunIds.next(Instant.now(), random);
      try {
        Process process = launcher.launch(schedule, runId, logFile);
        process.onExit().thenRun(() -> thread.execute(() -> ended(schedule.name())));
        fire = new ScheduleFire(schedule.name(), decision.dueAt(), now, decision.reason().label(), "started", host,
            process.pid(), runId, logFile.toString(), null);
      } catch (Exception e) {
        thread.execute(() -> ended(schedule.name()));
        fire = new ScheduleFire(schedule.name(), decision.dueAt(), now, decision.reason().label(), "failed", host,
            null, null, logFile.toString(), "Cannot start sluice run " + schedule.task() + ": " + e.getMessage());
        LOG.warn("Schedule {}: {}", schedule.name(), fire.message());
      }
    } else {
      String outcome = decision.outcome() == Scheduler.Outcome.SKIP ? "skipped" : "queued";
      fire = new ScheduleFire(schedule.name(), decision.dueAt(), now, decision.reason().label(), outcome, host, null,
          null, null, "A run of schedule " + schedule.name() + " was still going (overlap = \"" + schedule.overlap().label()
          + "\")");
    }
    try {
      log.record(fire);
    } catch (Exception e) {
      // The history being down must not stop the schedules: the run itself goes on.
      LOG.warn("Cannot record that schedule {} fired ({}): {}", schedule.name(), fire.outcome(), e.getMessage());
    }
    return fire;
  }

  private void ended(String name) {
    scheduler.ended(name).ifPresent(this::carryOut);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
