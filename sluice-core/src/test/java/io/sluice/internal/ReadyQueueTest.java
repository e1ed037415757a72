package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Task;
import io.sluice.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ready queue hands tasks out in exactly the order a plain priority queue would. */
class ReadyQueueTest {

  record Named(String name) implements Task {}

  private static Node node(int seq, int priority) {
    Named task = new Named("t" + seq);
    Node node = new Node(task, TaskId.of(task), seq);
    node.priority = priority;
    return node;
  }

  @Test
  void tasksReadyInOrderComeOutInOrderAndOneReadyLaterGoesAheadOfThoseCreatedAfterIt() {
    ReadyQueue queue = new ReadyQueue();
    for (int seq = 10; seq < 20; seq++) {
      queue.add(node(seq, 0));
    }
    queue.add(node(3, 0));    // created before all of them, ready later
    queue.add(node(14, 5));   // a higher priority first
    queue.add(node(25, 0));
    List<Integer> out = new ArrayList<>();
    for (Node next = queue.poll(); next != null; next = queue.poll()) {
      out.add(next.seq);
    }
    assertThat(out).containsExactly(14, 3, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 25);
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void anyMixOfAddsPollsAndRemovesGivesWhatAPriorityQueueGives() {
    for (long seed = 1; seed <= 50; seed++) {
      Random random = new Random(seed);
      ReadyQueue queue = new ReadyQueue();
      PriorityQueue<Node> expected = new PriorityQueue<>(ReadyQueue.ORDER);
      List<Node> present = new ArrayList<>();
      int nextSeq = 0;
      java.util.Set<Integer> earlier = new java.util.HashSet<>();
      for (int step = 0; step < 2_000; step++) {
        int what = random.nextInt(10);
        if (what < 5) {
          // Mostly in creation order, as a graph's leaves come; sometimes one from before.
          int seq = nextSeq++;
          if (random.nextInt(4) == 0) {
            do {
              seq = -1 - random.nextInt(1_000_000);
            } while (!earlier.add(seq));
          }
          Node node = node(seq, random.nextInt(6) == 0 ? random.nextInt(3) : 0);
          queue.add(node);
          expected.add(node);
          present.add(node);
        } else if (what < 9) {
          assertThat(queue.peek()).isSameAs(expected.peek());
          Node polled = queue.poll();
          assertThat(polled).isSameAs(expected.poll());
          present.remove(polled);
        } else if (!present.isEmpty()) {
          Node gone = present.remove(random.nextInt(present.size()));
          assertThat(queue.remove(gone)).isTrue();
          expected.remove(gone);
          assertThat(queue.remove(gone)).isFalse();
        }
        assertThat(queue.size()).isEqualTo(expected.size());
      }
      while (!expected.isEmpty()) {
        assertThat(queue.poll()).isSameAs(expected.poll());
      }
      assertThat(queue.poll()).isNull();
      assertThat(queue.peek()).isNull();
    }
  }
}
