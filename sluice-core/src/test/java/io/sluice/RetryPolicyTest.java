package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed attempts are tried again per the task's policy, after an exponential, jittered wait. */
class RetryPolicyTest {

  static Path dir;
  static final AtomicInteger attempts = new AtomicInteger();

  /** Three attempts, 100 ms doubling up to 10 s, 25% jitter, on I/O errors only. */
  static final RetryPolicy THREE_TRIES = RetryPolicy.builder().maxAttempts(3)
      .backoff(Duration.ofMillis(100), Duration.ofSeconds(10)).multiplier(2).jitter(0.25)
      .retryOn(IOException.class).build();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    attempts.set(0);
  }

  /** Fails its first {@code failures} attempts with the given error, then writes its output. */
  record Flaky(int failures, String error) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("flaky.txt"));
    }

    public RetryPolicy retryPolicy() {
      return THREE_TRIES;
    }

    public void run(TaskContext ctx) throws Exception {
      attempts.incrementAndGet();
      output().writeString("attempt " + ctx.attempt());
      if (ctx.attempt() <= failures) {
        throw switch (error) {
          case "io" -> new IOException("connection reset");
          case "file" -> new FileNotFoundException("input.csv");
          default -> new IllegalArgumentException("bad input");
        };
      }
    }
  }

  private static Sluice sluice(RecordingSleeper sleeper, TaskListener listener) {
    return Sluice.builder().stateDir(dir.resolve(".sluice")).sleeper(sleeper).random(new Random(42))
        .listener(listener).build();
  }

  @Test
  void backoffDoublesFromTheInitialDelayUpToTheMaximum() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(10)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(500)).multiplier(2).jitter(0).build();
    Random random = new Random(1);

    assertThat(List.of(1, 2, 3, 4, 5).stream().map(n -> policy.delayAfter(n, random)).toList())
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
            Duration.ofMillis(500), Duration.ofMillis(500));
  }

  @Test
  void jitterMovesEachDelayByADrawOfTheSeededRandom() {
    // new Random(42).nextDouble() draws 0.72756..., 0.68322..., 0.30871...: the waits are
    // base * (1 + jitter * (2 * draw - 1)), base being 100 ms, 200 ms, 400 ms.
    Random random = new Random(42);

    assertThat(THREE_TRIES.delayAfter(1, random)).isEqualTo(Duration.ofNanos(111_378_184));
    assertThat(THREE_TRIES.delayAfter(2, random)).isEqualTo(Duration.ofNanos(218_322_347));
    assertThat(THREE_TRIES.delayAfter(3, random)).isEqualTo(Duration.ofNanos(361_743_891));
  }

  @Test
  void jitterStaysWithinItsFractionOfTheDelay() {
    Random random = new Random(7);
    List<Duration> delays = IntStream.range(0, 2000)
        .mapToObj(i -> THREE_TRIES.delayAfter(2, random)).toList();

    assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(150), Duration.ofMillis(250)));
    assertThat(delays.stream().min(Duration::compareTo).orElseThrow()).isLessThan(Duration.ofMillis(155));
    assertThat(delays.stream().max(Duration::compareTo).orElseThrow()).isGreaterThan(Duration.ofMillis(245));
  }

  @Test
  void retriesFollowAttemptsAndErrorTypes() {
    RetryPolicy onIo = RetryPolicy.builder().maxAttempts(3).retryOn(IOException.class).build();

    assertThat(onIo.retries(new IOException(), 1)).isTrue();
    assertThat(onIo.retries(new FileNotFoundException(), 2)).as("a subtype retries").isTrue();
    assertThat(onIo.retries(new IOException(), 3)).as("the last attempt").isFalse();
    assertThat(onIo.retries(new IllegalStateException(), 1)).isFalse();
    assertThat(RetryPolicy.none().retries(new IOException(), 1)).isFalse();
    assertThat(RetryPolicy.builder().build().retries(new Error(), 1)).as("empty retryOn: any error").isTrue();
  }

  @Test
  void policyRefusesNonsense() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts is 0");
    assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter is 1.5");
    assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier is 0.5");
  }

  @Test
  void failingTaskIsTriedMaxAttemptsTimesWithTheBackoffBetween() {
    RecordingSleeper sleeper = new RecordingSleeper();
    Flaky alwaysFails = new Flaky(99, "io");

    RunResult result = sluice(sleeper, new RecordingListener()).run(alwaysFails);

    assertThat(attempts).hasValue(3);
    assertThat(sleeper.delays()).containsExactly(Duration.ofNanos(111_378_184), Duration.ofNanos(218_322_347));
    assertThat(result.status(alwaysFails)).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(alwaysFails.id())).isEqualTo("IOException: connection reset (after 3 attempts)");
    assertThat(TestFiles.under(dir)).as("no attempt left an output or a temporary file").isEmpty();
  }

  @Test
  void taskThatSucceedsOnALaterAttemptIsDone() {
    RecordingSleeper sleeper = new RecordingSleeper();
    Flaky once = new Flaky(1, "file");

    RunResult result = sluice(sleeper, new RecordingListener()).run(once);

    assertThat(result.status(once)).isEqualTo(TaskStatus.DONE);
    assertThat(attempts).hasValue(2);
    assertThat(sleeper.delays()).hasSize(1);
    assertThat(TestFiles.read(once.output().path())).isEqualTo("attempt 2");
    assertThat(TestFiles.under(dir)).containsExactly("flaky.txt");
  }

  @Test
  void errorNotInRetryOnFailsAtOnce() {
    RecordingSleeper sleeper = new RecordingSleeper();
    Flaky wrongError = new Flaky(1, "illegal");

    RunResult result = sluice(sleeper, new RecordingListener()).run(wrongError);

    assertThat(result.status(wrongError)).isEqualTo(TaskStatus.FAILED);
    assertThat(result.reasons().get(wrongError.id())).isEqualTo("IllegalArgumentException: bad input");
    assertThat(attempts).hasValue(1);
    assertThat(sleeper.delays()).isEmpty();
  }

  @Test
  void retriesAreAnnouncedToListeners() {
    RecordingListener listener = new RecordingListener();
    Flaky alwaysFails = new Flaky(99, "io");

    sluice(new RecordingSleeper(), listener).run(alwaysFails);

    assertThat(listener.of(alwaysFails)).extracting(TaskEvent::kind, TaskEvent::attempt).containsExactly(
        tuple(TaskEvent.Kind.STARTED, 1),
        tuple(TaskEvent.Kind.RETRYING, 1),
        tuple(TaskEvent.Kind.STARTED, 2),
        tuple(TaskEvent.Kind.RETRYING, 2),
        tuple(TaskEvent.Kind.STARTED, 3),
        tuple(TaskEvent.Kind.FAILED, 3));
    TaskEvent firstRetry = listener.of(alwaysFails).get(1);
    assertThat(firstRetry.message()).isEqualTo("IOException: connection reset; attempt 2 of 3 in 111 ms");
    assertThat(firstRetry.error()).isInstanceOf(IOException.class);
  }
}
