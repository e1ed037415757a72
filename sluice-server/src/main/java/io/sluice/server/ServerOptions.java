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
 * and tick they follow; tests give a fast clock).
 */
public record ServerOptions(Optional<AccessToken> token, List<Schedule> schedules, RunLauncher launcher,
    Path scheduleLogDir, Clock clock, Duration tick) {

  public ServerOptions {
    Objects.requireNonNull(token, "token");
    schedules = List.copyOf(schedules);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(tick, "tick");
    if (!schedules.isEmpty() && (launcher == null || scheduleLogDir == null)) {
      throw new IllegalArgumentException("Schedules need a launcher and a log directory");
    }
  }

  /** No token, no schedules. */
  public static ServerOptions defaults() {
    return new ServerOptions(Optional.empty(), List.of(), null, null, Clock.systemUTC(), Duration.ofSeconds(1));
  }

  /** With this access token (required by every request). */
  public ServerOptions withToken(Optional<AccessToken> accessToken) {
    return new ServerOptions(accessToken, schedules, launcher, scheduleLogDir, clock, tick);
  }

  /** With these schedules, started by {@code runLauncher}, their output in {@code logDir}. */
  public ServerOptions withSchedules(List<Schedule> list, RunLauncher runLauncher, Path logDir) {
    return new ServerOptions(token, list, runLauncher, logDir, clock, tick);
  }

  /** With this clock, looked at every {@code every} of real time. */
  public ServerOptions withClock(Clock time, Duration every) {
    return new ServerOptions(token, schedules, launcher, scheduleLogDir, time, every);
  }
}
