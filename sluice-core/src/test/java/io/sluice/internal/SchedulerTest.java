package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Resources;
import io.sluice.Task;
import io.sluice.TaskStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler, driven step by step: no threads, no files. */
class SchedulerTest {

  /** A task that is only a name, a priority and the one resource it holds. */
  record Job(String name, int priority, String resource, int amount) implements Task {
    @Override
    public Resources resources() {
      return amount == 0 ? Resources.none() : Resources.of(resource, amount);
    }

    @Override
    public int priority() {
      return priority;
    }
  }

  private int seq;
  private final Scheduler scheduler = new Scheduler(Map.of("gpu", 2));

  private Node node(String name, int priority, Resources resources, Node... deps) {
    String resource = resources.isEmpty() ? "" : resources.amounts().keySet().iterator().next();
    Job job = new Job(name, priority, resource, resources.isEmpty() ? 0 : resources.amounts().get(resource));
    Node node = new Node(job, job.id(), seq++);
    node.deps = List.of(deps);
    for (Node dep : deps) {
      dep.addDependent(node);
    }
    node.readDeclarations();
    return node;
  }

  private Node node(String name, int priority, Node... deps) {
    return node(name, priority, Resources.none(), deps);
  }

  private void add(Node... nodes) {
    scheduler.add(Graph.order(new LinkedHashSet<>(List.of(nodes))));
  }

  private List<String> takeAll() {
    List<String> names = new ArrayList<>();
    Node next;
    while ((next = scheduler.next()) != null) {
      names.add(name(next));
    }
    return names;
  }

  private static String name(Node node) {
    return ((Job) node.task).name();
  }

  @Test
  void readyTasksComeOutHighestPriorityFirstAndTiesInTheOrderTheyWereMet() {
    add(node("a", 0), node("b", 5), node("c", 0), node("d", 9));

    assertThat(takeAll()).containsExactly("d", "b", "a", "c");
    assertThat(scheduler.running()).isEqualTo(4);
  }

  @Test
  void tasksOfOnePriorityRunInTheOrderMetAndOneAddedLaterWithAHigherPriorityStillRaisesWhatItWaitsFor() {
    Node a = node("a", 0);
    Node b = node("b", 0);
    Node c = node("c", 0);
    add(a, b, c);
    assertThat(scheduler.readyNext(3)).containsExactly(a.id, b.id, c.id);

    // Added later (as a dynamic requirement is), waiting for c: c now runs first.
    add(node("urgent", 7, c));

    assertThat(takeAll()).containsExactly("c", "a", "b");
  }

  @Test
  void theTasksReadyNextAreNamedInTheOrderTheyWillStartAndStayQueued() {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      nodes.add(node("t" + i, i % 3));
    }
    add(nodes.toArray(Node[]::new));
    scheduler.next();
    scheduler.next();

    List<String> named = scheduler.readyNext(16).stream().map(id -> id.params().get("name").toString()).toList();

    assertThat(scheduler.ready()).isEqualTo(38);
    assertThat(takeAll().subList(0, 16)).isEqualTo(named);
  }

  @Test
  void dependentBecomesReadyOnlyWhenItsLastDependencyFinishes() {
    Node left = node("left", 0);
    Node right = node("right", 0);
    Node join = node("join", 0, left, right);
    add(left, right, join);

    assertThat(takeAll()).containsExactly("left", "right");
    scheduler.finish(left, TaskStatus.DONE, "", null);
    assertThat(scheduler.next()).isNull();
    scheduler.finish(right, TaskStatus.COMPLETE, "completed meanwhile", null);
    assertThat(takeAll()).containsExactly("join");
    scheduler.finish(join, TaskStatus.DONE, "", null);
    assertThat(scheduler.remaining()).isZero();
  }

  @Test
  void dependencyTakesTheHighestPriorityOfTheTasksWaitingForItTransitively() {
    Node leaf = node("leaf", 0);
    Node middle = node("middle", 1, leaf);
    Node urgent = node("urgent", 100, middle);
    Node other = node("other", 50);
    add(leaf, middle, urgent, other);

    assertThat(leaf.priority).isEqualTo(100);
    assertThat(middle.priority).isEqualTo(100);
    assertThat(takeAll()).containsExactly("leaf", "other");
  }

  @Test
  void taskAddedLaterRaisesThePriorityOfAQueuedDependency() {
    Node shared = node("shared", 0);
    Node early = node("early", 10);
    add(shared, early);
    Node urgent = node("urgent", 90, shared);

    add(urgent);

    assertThat(takeAll()).containsExactly("shared", "early");
  }

  @Test
  void blockedHighPriorityTaskReservesTheResourceSoSmallerLowerPriorityTasksCannotStarveIt() {
    Node small1 = node("small1", 0, Resources.of("gpu", 1));
    Node small2 = node("small2", 0, Resources.of("gpu", 1));
    Node small3 = node("small3", 0, Resources.of("gpu", 1));
    add(small1, small2, small3);
    assertThat(scheduler.next()).isSameAs(small1);
    Node big = node("big", 10, Resources.of("gpu", 2));
    add(big);

    // One gpu is free, enough for small2, but big is first in line and needs both.
    assertThat(scheduler.next()).isNull();
    scheduler.finish(small1, TaskStatus.DONE, "", null);
    assertThat(scheduler.next()).isSameAs(big);
    assertThat(scheduler.inUse("gpu")).isEqualTo(2);
    assertThat(scheduler.next()).isNull();
    scheduler.finish(big, TaskStatus.DONE, "", null);
    assertThat(takeAll()).containsExactly("small2", "small3");
  }

  @Test
  void reservationHoldsBackOnlyTasksNeedingTheReservedResource() {
    Node running = node("running", 0, Resources.of("gpu", 1));
    add(running);
    scheduler.next();
    Node big = node("big", 10, Resources.of("gpu", 2));
    Node small = node("small", 5, Resources.of("gpu", 1));
    Node cpuOnly = node("cpu-only", 0, Resources.of("cpu", 4));
    add(big, small, cpuOnly);

    assertThat(takeAll()).containsExactly("cpu-only");
  }

  @Test
  void failureSkipsEverythingDownstreamNamingEveryRequirementThatDidNotSucceed() {
    Node broken = node("broken", 0);
    Node absent = node("absent", 0);
    Node both = node("both", 0, broken, absent);
    Node after = node("after", 0, both);
    add(broken, absent, both, after);
    scheduler.next();
    scheduler.next();

    scheduler.finish(absent, TaskStatus.MISSING, "missing external data", null);
    scheduler.finish(broken, TaskStatus.FAILED, "boom", null);

    assertThat(both.status).isEqualTo(TaskStatus.UPSTREAM_FAILED);
    assertThat(both.reason).matches("requires Job\\(name=absent.*\\), which is missing external data; "
        + "requires Job\\(name=broken.*\\), which failed");
    assertThat(after.status).isEqualTo(TaskStatus.UPSTREAM_FAILED);
    assertThat(after.reason).contains("name=both");
    assertThat(scheduler.remaining()).isZero();
    assertThat(scheduler.drainFinalized()).extracting(SchedulerTest::name)
        .containsExactly("absent", "both", "after", "broken");
  }

  @Test
  void taskAddedAfterItsRequirementsFailedIsSkippedWithAllTheirReasons() {
    Node broken = node("broken", 0);
    Node absent = node("absent", 0);
    add(broken, absent);
    scheduler.next();
    scheduler.next();
    scheduler.finish(broken, TaskStatus.FAILED, "boom", null);
    scheduler.finish(absent, TaskStatus.MISSING, "missing", null);

    Node late = node("late", 0, broken, absent);
    add(late);

    assertThat(late.status).isEqualTo(TaskStatus.UPSTREAM_FAILED);
    assertThat(late.reason).contains("name=broken", "which failed", "name=absent", "missing external data");
  }

  @Test
  void taskWhoseDeclarationsThrowFailsAndItsDependentsAreSkipped() {
    Node throwing = new Node(new Throwing(), new Throwing().id(), seq++);
    throwing.readDeclarations();
    Node after = node("after", 0, throwing);

    add(throwing, after);

    assertThat(throwing.status).isEqualTo(TaskStatus.FAILED);
    assertThat(throwing.reason).contains("AssertionError", "resources are undecided");
    assertThat(after.status).isEqualTo(TaskStatus.UPSTREAM_FAILED);
    assertThat(scheduler.next()).isNull();
    assertThat(scheduler.remaining()).isZero();
  }

  record Throwing() implements Task {
    @Override
    public Resources resources() {
      throw new AssertionError("resources are undecided");
    }
  }

  @Test
  void suspendedTaskLendsItsResourcesAndTakesThemBackBeforeAnyReservation() {
    Node waiting = node("waiting", 0, Resources.of("gpu", 2));
    add(waiting);
    scheduler.next();
    Node dynamic = node("dynamic", 0, Resources.of("gpu", 1));

    scheduler.suspend(waiting);
    add(dynamic);
    assertThat(scheduler.next()).isSameAs(dynamic);
    assertThat(scheduler.resume(waiting)).isFalse();
    scheduler.finish(dynamic, TaskStatus.DONE, "", null);

    assertThat(scheduler.resume(waiting)).isTrue();
    assertThat(scheduler.inUse("gpu")).isEqualTo(2);
  }

  @Test
  void suspendedTaskThatFailsGivesBackNothingItDoesNotHold() {
    Node waiting = node("waiting", 0, Resources.of("gpu", 2));
    add(waiting);
    scheduler.next();
    scheduler.suspend(waiting);

    scheduler.finish(waiting, TaskStatus.FAILED, "timed out", null);

    assertThat(scheduler.inUse("gpu")).isZero();
    assertThat(scheduler.running()).isZero();
  }

  @Test
  void cancelInterruptsEveryPendingTaskAndStartsNothing() {
    Node first = node("first", 0);
    Node second = node("second", 0, first);
    Node third = node("third", 0);
    add(first, second, third);
    scheduler.next();

    scheduler.cancel();

    assertThat(scheduler.next()).isNull();
    assertThat(second.status).isEqualTo(TaskStatus.INTERRUPTED);
    assertThat(third.status).isEqualTo(TaskStatus.INTERRUPTED);
    assertThat(scheduler.remaining()).isEqualTo(1);
    scheduler.finish(first, TaskStatus.INTERRUPTED, "interrupted", null);
    assertThat(scheduler.remaining()).isZero();
  }
}
