package io.sluice.server;

import io.sluice.server.schedule.RunLauncher;
import io.sluice.server.schedule.Schedule;
import io.sluice.server.security.AccessToken;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link SluiceServer} does besides serving the history: its access token, and the schedules it
 * runs (with the launcher of their {@code sluice run} processes, where their output goes, and the clock
 * and tick they follow; tests give a fast clock), and how much nicer than the pipelines on the machine
 * its request threads run ({@value #DEFAULT_NICENESS} by default; 0: as they do).
 */
public record ServerOptions(Optional<AccessToken> token, List<Schedule> schedules, RunLauncher launcher,
    Path scheduleLogDir, Clock clock, Duration tick, int niceness) {

  /** How much nicer than the server's start the request threads run unless told: a view waits rather than slow a task. */
  public static final int DEFAULT_NICENESS = 10;

  public ServerOptions {
    Objects.requireNonNull(token, "token");
    schedules = List.copyOf(schedules);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(tick, "tick");
    if (niceness < 0 || niceness > 19) {
      throw new IllegalArgumentException("Niceness " + niceness + " is not from 0 to 19");
    }
    if (!schedules.isEmpty() && (launcher == null || scheduleLogDir == null)) {
      throw new IllegalArgumentException("Schedules need a launcher and a log directory");
    }
  }

  /** No token, no schedules. */
  public static ServerOptions defaults() {
    return new ServerOptions(Optional.empty(), List.of(), null, null, Clock.systemUTC(), Duration.ofSeconds(1), DEFAULT_NICENESS);
  }

  /** With this access token (required by every request). */
  public ServerOptions withToken(Optional<AccessToken> accessToken) {
    return new ServerOptions(accessToken, schedules, launcher, scheduleLogDir, clock, tick, niceness);
  }

  /** With these schedules, started by {@code runLauncher}, their output in {@code logDir}. */
  public ServerOptions withSchedules(List<Schedule> list, RunLauncher runLauncher, Path logDir) {
    return new ServerOptions(token, list, runLauncher, logDir, clock, tick, niceness);
  }

  /** With this clock, looked at every {@code every} of real time. */
  public ServerOptions withClock(Clock time, Duration every) {
    return new ServerOptions(token, schedules, launcher, scheduleLogDir, time, every, niceness);
  }

  /** With the request threads this much nicer than the thread that starts the server (0 to 19). */
  public ServerOptions withNiceness(int nicer) {
    return new ServerOptions(token, schedules, launcher, scheduleLogDir, clock, tick, nicer);
  }
}
