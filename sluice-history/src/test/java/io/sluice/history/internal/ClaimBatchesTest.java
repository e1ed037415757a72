package io.sluice.history.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Claims of many threads grouped into statements, against a stand-in for the database that grants
 * every task but those named "held" and records each statement's tasks.
 */
class ClaimBatchesTest {

  private final List<List<String>> statements = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstInFlight = new CountDownLatch(1);
  private final CountDownLatch letFirstAnswer = new CountDownLatch(1);
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
  }

  private Map<String, Long> grant(List<String> tasks, long deadline) throws InterruptedException {
    statements.add(List.copyOf(tasks));
    if (statements.size() == 1) {
      firstInFlight.countDown();
      letFirstAnswer.await();
    }
    return tasks.stream().filter(t -> !t.startsWith("held")).collect(Collectors.toMap(t -> t, t -> 1L));
  }

  @Test
  void claimsMadeWhileAStatementIsInFlightGoTogetherInTheNextOne() throws Exception {
    ClaimBatches batches = new ClaimBatches(this::grant, 100);
    Future<Long> first = threads.submit(() -> batches.claim("a", 0));
    assertThat(firstInFlight.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<Long>> others = new ArrayList<>();
    for (String task : List.of("b", "c", "held-d", "e")) {
      others.add(threads.submit(() -> batches.claim(task, 0)));
    }
    awaitQueued(batches, 4);

    letFirstAnswer.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
    List<Long> answers = new ArrayList<>();
    for (Future<Long> other : others) {
      answers.add(other.get(10, TimeUnit.SECONDS));
    }
    assertThat(answers).containsExactly(1L, 1L, null, 1L);
    assertThat(statements).hasSize(2);
    assertThat(statements.get(1)).containsExactlyInAnyOrder("b", "c", "held-d", "e");
  }

  @Test
  void aStatementCarriesAtMostTheLargestBatchAndEachTaskOnce() throws Exception {
    ClaimBatches batches = new ClaimBatches(this::grant, 2);
    Future<Long> first = threads.submit(() -> batches.claim("a", 0));
    assertThat(firstInFlight.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<Long>> others = new ArrayList<>();
    for (String task : List.of("b", "b", "c")) {
      others.add(threads.submit(() -> batches.claim(task, 0)));
      awaitQueued(batches, others.size());
    }

    letFirstAnswer.countDown();

    first.get(10, TimeUnit.SECONDS);
    for (Future<Long> other : others) {
      assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
    }
    assertThat(statements).hasSize(3);
    assertThat(statements.subList(1, 3)).allSatisfy(tasks -> assertThat(tasks).hasSizeLessThanOrEqualTo(2)
        .doesNotHaveDuplicates());
  }

  @Test
  void aFailedStatementFailsEveryClaimItCarriedSayingWhy() throws Exception {
    ClaimBatches batches = new ClaimBatches((tasks, deadline) -> {
      throw new IOException("Cannot claim the leases on " + tasks.get(0) + ": the database is down");
    }, 10);

    assertThatThrownBy(() -> batches.claim("a", 0)).isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot claim the leases on a: the database is down");
  }

  @Test
  void theLargestBatchMustBeAtLeastOne() {
    assertThatThrownBy(() -> new ClaimBatches(this::grant, 0)).hasMessageContaining("largest claim batch is 0");
  }

  /** Waits (real threads: with a deadline) until {@code count} claims are queued behind the one in flight. */
  private static void awaitQueued(ClaimBatches batches, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (batches.queued() < count) {
      assertThat(System.nanoTime()).as("claims queued").isLessThan(deadline);
      Thread.sleep(1);
    }
  }
}
