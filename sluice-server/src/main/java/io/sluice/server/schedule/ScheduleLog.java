package io.sluice.server.schedule;

import io.sluice.history.ScheduleFire;
import java.time.Instant;
import java.util.Optional;

/** Where the schedules' fires are kept (the history), as the {@link ScheduleService} needs it. */
public interface ScheduleLog {

  /** Keeps a fire. */
  void record(ScheduleFire fire) throws Exception;

  /** The latest cron time {@code schedule} fired for, if ever. */
  Optional<Instant> lastDue(String schedule) throws Exception;
}
