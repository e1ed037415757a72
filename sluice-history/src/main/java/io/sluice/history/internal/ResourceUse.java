package io.sluice.history.internal;

import io.sluice.Resources;
import io.sluice.TaskEvent;
import io.sluice.TaskId;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run holds against its limits: the {@code [resources]} totals and the sum of the resources
 * of its running tasks, told as JSON when an event changes it. A run whose tasks hold no resources
 * and that has no limits tells nothing, so recording a plain run costs one look at each started task,
 * without taking the lock the workers would otherwise contend for at each of their events.
 */
public final class ResourceUse {

  private final Map<String, Integer> limits;
  private final Map<TaskId, Resources> running = new HashMap<>();
  private final Map<String, Integer> held = new TreeMap<>();
  /**
   * Whether a task holding resources ever started: until then an attempt's end has nothing to give
   * back. Set before that task's start returns, which comes before its end's call.
   */
  private volatile boolean anyHeld;

  public ResourceUse(Map<String, Integer> limits) {
    this.limits = new TreeMap<>(limits);
  }

  /** The use at the start (nothing held), or null when there are no limits to tell. */
  public synchronized String atStart() {
    return limits.isEmpty() ? null : json();
  }

  /** The use after {@code event} as JSON, or null when the event changed nothing. */
  public String after(TaskEvent event) {
    return switch (event.kind()) {
      case STARTED -> event.task().resources().isEmpty() ? null : changed(event);
      case SUCCEEDED, FAILED, RETRYING -> anyHeld ? changed(event) : null;
      default -> null;
    };
  }

  private synchronized String changed(TaskEvent event) {
    Resources resources;
    switch (event.kind()) {
      case STARTED -> {
        resources = event.task().resources();
        if (running.putIfAbsent(event.id(), resources) != null) {
          return null;
        }
        anyHeld = true;
        resources.amounts().forEach((name, amount) -> held.merge(name, amount, Integer::sum));
      }
      case SUCCEEDED, FAILED, RETRYING -> {
        resources = running.remove(event.id());
        if (resources == null) {
          return null;
        }
        resources.amounts().forEach((name, amount) -> held.merge(name, -amount, Integer::sum));
      }
      default -> {
        return null;
      }
    }
    return json();
  }

  private String json() {
    return "{\"limits\":" + object(limits) + ",\"held\":" + object(held) + "}";
  }

  private static String object(Map<String, Integer> amounts) {
    StringBuilder json = new StringBuilder("{");
    amounts.forEach((name, amount) -> Json.string(json.append(json.length() == 1 ? "" : ","), name).append(':')
        .append(amount));
    return json.append('}').toString();
  }
}
