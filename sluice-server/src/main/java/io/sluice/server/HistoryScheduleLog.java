package io.sluice.server;

import io.sluice.history.ScheduleFire;
import io.sluice.server.schedule.ScheduleLog;
import java.time.Instant;
import java.util.Optional;

/** The schedules' fires kept in the history the server reads. */
final class HistoryScheduleLog implements ScheduleLog {

  private final HistoryAccess history;

  HistoryScheduleLog(HistoryAccess history) {
    this.history = history;
  }

  @Override
  public void record(ScheduleFire fire) throws Exception {
    history.read(db -> {
      db.scheduleFires().record(fire);
      return null;
    });
  }

  @Override
  public Optional<Instant> lastDue(String schedule) throws Exception {
    return history.read(db -> db.scheduleFires().lastDue(schedule));
  }
}
