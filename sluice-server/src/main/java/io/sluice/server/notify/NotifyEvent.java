package io.sluice.server.notify;

import java.util.Locale;

/** What a run's end can be told for: it failed, it succeeded, or it succeeded after the last run of its task failed. */
public enum NotifyEvent {
  FAILURE, SUCCESS, RECOVERY;

  /** As written in {@code [notify] on}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The event of a run's end, if {@code on} asks for it.
   *
   * @param previousSucceeded how the last run of the same task ended, or null when there was none (or it is unknown)
   */
  public static java.util.Optional<NotifyEvent> of(boolean succeeded, Boolean previousSucceeded,
      java.util.Set<NotifyEvent> on) {
    NotifyEvent event;
    if (!succeeded) {
      event = FAILURE;
    } else if (Boolean.FALSE.equals(previousSucceeded) && on.contains(RECOVERY)) {
      event = RECOVERY;
    } else {
      event = SUCCESS;
    }
    return on.contains(event) ? java.util.Optional.of(event) : java.util.Optional.empty();
  }
}
