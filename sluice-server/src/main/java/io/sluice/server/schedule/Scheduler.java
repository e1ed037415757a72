package io.sluice.server.schedule;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who starts when: the schedules' due times, catch-up, overlap (skip or queue) and runs started by
 * hand, as a single-threaded state machine a test drives with instants. It starts nothing itself:
 * {@link ScheduleService} carries out its {@link Decision}s and tells it when a run's process ends.
 */
public final class Scheduler {

  /** Why a schedule fires. */
  public enum Reason {
    CRON("cron"), CATCH_UP("catch-up"), MANUAL("manual");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    /** As stored in the history and shown. */
    public String label() {
      return label;
    }
  }

  /** What comes of a due time. */
  public enum Outcome {
    /** Start a run now. */
    START,
    /** A run of it is going and its overlap is skip: nothing. */
    SKIP,
    /** A run of it is going and its overlap is queue: it starts when that one ends. */
    QUEUE
  }

  /** One due time of a schedule and what to do about it. */
  public record Decision(Schedule schedule, Instant dueAt, Reason reason, Outcome outcome) {}

  private final Map<String, Schedule> schedules = new LinkedHashMap<>();
  private final Map<String, CronTimes> times = new HashMap<>();
  private final Map<String, Instant> nextDue = new HashMap<>();
  private final Set<String> running = new HashSet<>();
  private final Map<String, Deque<Decision>> queued = new HashMap<>();
  private final List<Decision> catchUps = new ArrayList<>();

  /**
   * @param start when the server starts: due times from then on run; earlier ones are missed
   * @param lastDue the latest due time each schedule fired for before (from the history), for catch-up
   */
  public Scheduler(List<Schedule> schedules, Instant start, Map<String, Instant> lastDue) {
    for (Schedule schedule : schedules) {
      CronTimes cron = CronTimes.parse(schedule.cron(), schedule.zone());
      this.schedules.put(schedule.name(), schedule);
      times.put(schedule.name(), cron);
      Instant before = start.minusMillis(1);
      cron.next(before).ifPresent(next -> nextDue.put(schedule.name(), next));
      Instant last = lastDue.get(schedule.name());
      if (schedule.catchUp() == Schedule.CatchUp.LAST && last != null) {
        // Only the last missed time runs: ten missed nights are one catch-up run, not ten.
        cron.last(before).filter(missed -> missed.isAfter(last))
            .ifPresent(missed -> catchUps.add(new Decision(schedule, missed, Reason.CATCH_UP, Outcome.START)));
      }
    }
  }

  /** The decisions due at {@code now}: catch-ups first (at the first tick), then each due schedule once. */
  public List<Decision> tick(Instant now) {
    List<Decision> decisions = new ArrayList<>();
    for (Decision catchUp : catchUps) {
      decisions.add(decide(catchUp.schedule(), catchUp.dueAt(), Reason.CATCH_UP));
    }
    catchUps.clear();
    for (Schedule schedule : schedules.values()) {
      Instant next = nextDue.get(schedule.name());
      if (next == null || next.isAfter(now)) {
        continue;
      }
      CronTimes cron = times.get(schedule.name());
      // Several due times passed since the last tick (a suspended machine): the latest one runs, once.
      Instant due = cron.last(now).orElse(next);
      cron.next(now).ifPresentOrElse(following -> nextDue.put(schedule.name(), following),
          () -> nextDue.remove(schedule.name()));
      decisions.add(decide(schedule, due, Reason.CRON));
    }
    return decisions;
  }

  /**
   * A run started by hand at {@code now}, under the schedule's overlap rule.
   *
   * @throws IllegalArgumentException when there is no schedule of that name (the names are listed)
   */
  public Decision manual(String name, Instant now) {
    Schedule schedule = schedules.get(name);
    if (schedule == null) {
      throw new IllegalArgumentException("No schedule '" + name + "'; the schedules are " + (schedules.isEmpty()
          ? "none ([schedules.NAME] in sluice.toml defines one)" : String.join(", ", schedules.keySet())));
    }
    return decide(schedule, now, Reason.MANUAL);
  }

  /** The run of {@code name} ended (or failed to start): the next queued one, if any, starts now. */
  public Optional<Decision> ended(String name) {
    running.remove(name);
    Deque<Decision> waiting = queued.get(name);
    if (waiting == null || waiting.isEmpty()) {
      return Optional.empty();
    }
    Decision next = waiting.poll();
    running.add(name);
    return Optional.of(new Decision(next.schedule(), next.dueAt(), next.reason(), Outcome.START));
  }

  /** The next due time of {@code name}, if it has one. */
  public Optional<Instant> next(String name) {
    return Optional.ofNullable(nextDue.get(name));
  }

  /** Whether a run of {@code name} is going. */
  public boolean running(String name) {
    return running.contains(name);
  }

  /** How many runs of {@code name} wait for the one going. */
  public int queued(String name) {
    Deque<Decision> waiting = queued.get(name);
    return waiting == null ? 0 : waiting.size();
  }

  /** The schedules, in their order. */
  public List<Schedule> schedules() {
    return List.copyOf(schedules.values());
  }

  private Decision decide(Schedule schedule, Instant due, Reason reason) {
    if (!running.contains(schedule.name())) {
      running.add(schedule.name());
      return new Decision(schedule, due, reason, Outcome.START);
    }
    if (schedule.overlap() == Schedule.Overlap.SKIP) {
      return new Decision(schedule, due, reason, Outcome.SKIP);
    }
    Decision waiting = new Decision(schedule, due, reason, Outcome.QUEUE);
    queued.computeIfAbsent(schedule.name(), name -> new ArrayDeque<>()).add(waiting);
    return waiting;
  }
}
