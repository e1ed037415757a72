package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.Signals.Arrivals;
import io.sluice.internal.Signals.Arrivals.Kind;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which signal stops a run gracefully, which one is the same event told twice, which one insists. */
class SignalArrivalsTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final Arrivals arrivals = new Arrivals(now::get);

  @Test
  void theFirstSignalFires() {
    assertThat(arrivals.fired()).isFalse();
    assertThat(arrivals.arrive()).isEqualTo(Kind.FIRST);
    assertThat(arrivals.fired()).isTrue();
  }

  @Test
  void aRepeatWithinHalfASecondIsTheSameEventAsTimeoutAndAClosingTerminalSendTwo() {
    arrivals.arrive();
    now.addAndGet(Arrivals.SAME_EVENT.toNanos() - 1);

    assertThat(arrivals.arrive()).isEqualTo(Kind.SAME_EVENT);
  }

  @Test
  void aSignalHalfASecondOrMoreLaterIsSomeoneAskingAgain() {
    arrivals.arrive();
    now.addAndGet(Arrivals.SAME_EVENT.toNanos());

    assertThat(arrivals.arrive()).isEqualTo(Kind.AGAIN);
    assertThat(arrivals.arrive()).isEqualTo(Kind.AGAIN);
  }
}
