package io.sluice.server.notify;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Tells of a run's end on the channels of {@link NotifySettings}. It never throws: a webhook or a mail
 * server that fails is a warning, never a failed pipeline.
 */
public final class Notifier {

  /** How long a channel may take to connect or answer. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final NotifySettings settings;
  private final Consumer<String> warnings;

  /** @param warnings told what could not be sent */
  public Notifier(NotifySettings settings, Consumer<String> warnings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.warnings = Objects.requireNonNull(warnings, "warnings");
  }

  /**
   * Tells of the run, if its event is one of {@code [notify] on}.
   *
   * @param previousSucceeded how the last run of its task ended, or null when unknown (for recovery)
   * @return the event told, if any
   */
  public Optional<NotifyEvent> notify(RunSummary run, Boolean previousSucceeded) {
    Optional<NotifyEvent> event = NotifyEvent.of(run.exitCode() == 0, previousSucceeded, settings.on());
    event.ifPresent(told -> {
      String text = run.text(told);
      if (settings.webhook() != null) {
        try {
          new WebhookChannel(settings.webhook(), TIMEOUT).send(text);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          warnings.accept("Could not post the " + told.label() + " notice to the webhook: interrupted");
        } catch (Exception e) {
          warnings.accept("Could not post the " + told.label() + " notice to the webhook " + hostOf() + ": "
              + e.getMessage());
        }
      }
      if (settings.email() != null) {
        try {
          new EmailChannel(settings.email(), TIMEOUT).send(run.title(told), text);
        } catch (Exception e) {
          warnings.accept("Could not mail the " + told.label() + " notice through " + settings.email().host() + ":"
              + settings.email().port() + ": " + e.getMessage());
        }
      }
    });
    return event;
  }

  /** Only the host: a webhook's path is its secret. */
  private String hostOf() {
    return settings.webhook().getScheme() + "://" + settings.webhook().getHost();
  }
}
