package io.sluice.internal;

import io.sluice.SchedulingException;
import io.sluice.Task;
import io.sluice.TaskId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the task graph: checks each task's completeness once, in parallel, and expands what
 * incomplete tasks require (everything, when asked to show complete subtrees too). One thread
 * follows the first new requirement itself, so a long chain is walked without hand-offs.
 */
final class GraphBuilder implements AutoCloseable {

  /** The most new nodes one job of the pool checks in turn. */
  private static final int HAND_OUT_BATCH = 64;

  /** The fewest requirements of one task for which the index makes room for all of them at once. */
  private static final int ROOM_FROM = 1024;

  /**
   * New nodes of one task's requirements handed to the pool while the rest are still being made:
   * made first, a million requirements kept the other checker threads idle for a second or more.
   */
  private static final int HAND_OUT_EARLY = 4096;

  private static final int CHUNK_BITS = 12;
  private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
  private static final int CHUNK_MASK = CHUNK_SIZE - 1;

  private static final Reasons FORCED = Reasons.of("forced (--force)");

  // Every so many nodes the heap is looked at (see checkMemory): a graph that never stops
  // growing (a requires() that always asks for a new task) would otherwise fill it, and a JVM out
  // of memory spends its time collecting, for hours, instead of failing.
  private static final int MEMORY_CHECK_EVERY = 1 << 12;
  private static final double MEMORY_FULL = 0.9;

  private final ConcurrentHashMap<TaskId, Node> nodes = new ConcurrentHashMap<>();
  // The class of each family met: ids, --Family-param options and [Family] sections name tasks
  // by family, so a second class of the same family would be mistaken for the first.
  private final ConcurrentHashMap<String, Class<?>> families = new ConcurrentHashMap<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final Object idle = new Object();
  private final ExecutorService pool;
  private final boolean expandAll;
  private final Set<TaskId> forced;
  private final Staleness staleness;
  // Every node by sequence number, in chunks: a queue of the nodes made since the last wait was
  // a queue node each (24 bytes of a million-node graph's, copied by every young collection),
  // and the graph took the nodes in sequence from the index by sorting them into slots.
  // Written by the thread that made the node, read once the wait that counted it has ended.
  private volatile Node[][] bySequence = new Node[16][];
  // Sequence numbers below it are settled (see addAndWait); guarded by settling.
  private final Object settling = new Object();
  private int settledUpTo;
  // The highest sequence number of a node that follows upstream, -1 while none: a wait knows
  // whether any of the nodes it settles does without a walk of a million nodes.
  private final AtomicInteger lastFollowing = new AtomicInteger(-1);
  private volatile SchedulingException schedulingError;
  private final int checkerThreads;
  // The sequence number from which the next node expanded looks at the heap.
  private final AtomicInteger nextMemoryCheck = new AtomicInteger(MEMORY_CHECK_EVERY);

  GraphBuilder(EngineSettings settings, boolean expandAll, Set<TaskId> forced, Staleness staleness) {
    this.expandAll = expandAll;
    this.forced = forced;
    this.staleness = staleness;
    this.checkerThreads = settings.checkerThreads();
    // requires() runs on these threads: they carry the run's values for Tasks.create.
    this.pool = Executors.newFixedThreadPool(settings.checkerThreads(),
        RunThread.factory("sluice-graph", settings.parameterValues()));
  }

  /**
   * Adds tasks and waits until everything reachable from them is checked and expanded.
   *
   * @throws SchedulingException when a task's {@code requires()} or {@code complete()} threw one
   */
  List<Node> addAndWait(List<? extends Task> tasks) throws InterruptedException {
    List<Node> added = new ArrayList<>(tasks.size());
    List<Node> created = new ArrayList<>();
    try {
      for (Task task : tasks) {
        added.add(node(task, created));
      }
    } finally {
      // Even when a later task is refused, the nodes made so far are counted as outstanding:
      // left unexpanded, they would keep every later wait of this builder (dynamic requirements) hanging.
      for (Node node : created) {
        pool.execute(() -> expandFrom(node));
      }
    }
    synchronized (idle) {
      while (outstanding.get() > 0) {
        idle.wait();
      }
    }
    staleness.listingsDone();
    if (schedulingError != null) {
      throw schedulingError;
    }
    // Two waits may end together (dynamic requirements of two tasks): one settles all, the other waits for it.
    synchronized (settling) {
      int end = sequence.get();
      boolean anyFollows = lastFollowing.get() >= settledUpTo;
      // Only a task that follows upstream can be changed by the pass (the default rule, outputs
      // exist, does not): skipping it spares a cold graph of 100,000 tasks two maps of them.
      if (anyFollows) {
        staleness.propagate(inSequence(settledUpTo, end));
      }
      settledUpTo = end;
    }
    return added;
  }

  /** Every node made, in the order they were made (by sequence number). */
  List<Node> nodes() {
    return inSequence(0, sequence.get());
  }

  /** Every node made, at its sequence number; null at a number whose node lost a race. */
  Node[] bySequenceNumber() {
    int end = sequence.get();
    Node[] all = new Node[end];
    Node[][] chunks = bySequence;
    for (int chunk = 0, from = 0; from < end; chunk++, from += CHUNK_SIZE) {
      if (chunk < chunks.length && chunks[chunk] != null) {
        System.arraycopy(chunks[chunk], 0, all, from, Math.min(CHUNK_SIZE, end - from));
      }
    }
    return all;
  }

  /** The nodes numbered from {@code from} to {@code end}, in order; a number whose node lost a race has none. */
  private List<Node> inSequence(int from, int end) {
    List<Node> ordered = new ArrayList<>(end - from);
    for (int seq = from; seq < end; seq++) {
      Node node = bySequence(seq);
      if (node != null) {
        ordered.add(node);
      }
    }
    return ordered;
  }

  private Node bySequence(int seq) {
    Node[][] chunks = bySequence;
    int chunk = seq >>> CHUNK_BITS;
    return chunk < chunks.length && chunks[chunk] != null ? chunks[chunk][seq & CHUNK_MASK] : null;
  }

  /** Puts a node made by this thread in its slot, adding the slots' chunk first when it is the chunk's first. */
  private void place(Node node) {
    int chunk = node.seq >>> CHUNK_BITS;
    Node[][] chunks = bySequence;
    if (chunk >= chunks.length || chunks[chunk] == null) {
      chunks = addChunk(chunk);
    }
    chunks[chunk][node.seq & CHUNK_MASK] = node;
  }

  private synchronized Node[][] addChunk(int chunk) {
    Node[][] chunks = bySequence;
    if (chunk >= chunks.length) {
      chunks = java.util.Arrays.copyOf(chunks, Math.max(chunk + 1, 2 * chunks.length));
    }
    if (chunks[chunk] == null) {
      chunks[chunk] = new Node[CHUNK_SIZE];
    }
    bySequence = chunks;
    return chunks;
  }

  /** Every node made, by id. */
  Map<TaskId, Node> index() {
    return java.util.Collections.unmodifiableMap(nodes);
  }

  Node get(TaskId id) {
    return nodes.get(id);
  }

  private Node node(Task task, List<Node> created) {
    if (task == null) {
      // Not a NullPointerException: its trace would point into the engine, not at the task.
      throw new IllegalArgumentException("its requires() returned a null task among its requirements");
    }
    TaskId id;
    Node existing;
    try {
      id = task.id();
      existing = nodes.get(id);
    } catch (SchedulingException e) {
      throw e;
    } catch (Throwable e) {
      // id(), or the hashCode/equals of a parameter, threw: the task cannot be told apart from
      // others, so it gets a node of its own that fails with that error.
      return unidentified(task, e);
    }
    if (existing != null) {
      checkSameClass(id.family(), existing.task.getClass(), task.getClass());
      return existing;
    }
    Class<?> known = families.putIfAbsent(id.family(), task.getClass());
    if (known != null) {
      checkSameClass(id.family(), known, task.getClass());
    }
    Node fresh = new Node(task, id, sequence.getAndIncrement());
    existing = nodes.putIfAbsent(id, fresh);
    if (existing != null) {
      return existing;
    }
    place(fresh);
    outstanding.incrementAndGet();
    created.add(fresh);
    return fresh;
  }

  /** A failed node for a task whose identity could not be computed; it is never expanded. */
  private Node unidentified(Task task, Throwable error) {
    int seq = sequence.getAndIncrement();
    Node node = new Node(task, new TaskId(task.getClass().getSimpleName(), Map.of("unidentified", seq)), seq);
    node.buildError = "its identity could not be computed (id(), or hashCode/equals of a parameter, threw): "
        + describe(error);
    nodes.put(node.id, node);
    place(node);
    return node;
  }

  private static void checkSameClass(String family, Class<?> known, Class<?> other) {
    if (known != other) {
      throw new SchedulingException("Two task classes share the family '" + family + "': " + known.getName()
          + " and " + other.getName() + ". Sluice would take one for the other. Give one of them its own"
          + " family with @Family(\"...\") on the class (such as @Family(\"" + suggestedFamily(other) + "\")), or rename it.");
    }
  }

  /** The simple name prefixed by the enclosing class or last package name: b.Train gives BTrain. */
  private static String suggestedFamily(Class<?> type) {
    String prefix = type.getEnclosingClass() != null ? type.getEnclosingClass().getSimpleName()
        : type.getPackageName().substring(type.getPackageName().lastIndexOf('.') + 1);
    return prefix.isEmpty() ? "My" + type.getSimpleName()
        : Character.toUpperCase(prefix.charAt(0)) + prefix.substring(1) + type.getSimpleName();
  }

  private void expandFrom(Node start) {
    Node next = start;
    List<Node> created = new ArrayList<>();
    while (next != null) {
      Node node = next;
      next = null;
      try {
        expand(node, created);
      } finally {
        // Counted down whatever happened above, or the wait in addAndWait would never end. The
        // new nodes are counted already, so this cannot reach zero while they wait to be expanded.
        if (outstanding.decrementAndGet() == 0) {
          synchronized (idle) {
            idle.notifyAll();
          }
        }
        next = handOut(created);
      }
    }
  }

  /**
   * Judges one node on its own and adds what it requires if it needs running, if its policy looks
   * upstream, or if all is shown.
   */
  private void expand(Node node, List<Node> created) {
    if (schedulingError != null) {
      return;  // the run is refused: nothing more to learn, and a graph that never ends stops growing
    }
    try {
      boolean complete;
      List<? extends Task> requires = null;
      if (forced.contains(node.id)) {
        complete = false;
        node.cause = FORCED;
      } else {
        Verdict verdict = staleness.check(node);
        complete = verdict.upToDate();
        requires = verdict.requires();
        node.cause = verdict.reasons();
        node.followsUpstream = verdict.followsUpstream();
        if (node.followsUpstream) {
          lastFollowing.accumulateAndGet(node.seq, Math::max);
        }
      }
      node.complete = complete;
      if (!complete || expandAll || node.followsUpstream) {
        if (requires == null) {
          requires = node.task.requires();
        }
        // A leaf keeps the shared empty list: an empty ArrayList each was 24 bytes of every leaf.
        if (!requires.isEmpty()) {
          checkMemory(node);
          if (requires.size() >= ROOM_FROM) {
            makeRoom(requires.size());
          }
          List<Node> deps = new ArrayList<>(requires.size());
          for (Task required : requires) {
            Node dep = node(required, created);
            deps.add(dep);
            dep.addDependent(node);
            if (created.size() == HAND_OUT_EARLY) {
              handOut(created, 0);
            }
          }
          node.deps = deps;
        }
        node.expanded = true;
      }
    } catch (SchedulingException e) {
      // A task that cannot even be described (bad parameter, refused path) stops the whole run.
      if (schedulingError == null) {
        schedulingError = e;
      }
    } catch (OutOfMemoryError e) {
      // The graph outgrew the heap between two looks at it: the run cannot go on either.
      if (schedulingError == null) {
        schedulingError = new SchedulingException("The JVM ran out of memory while building the task graph, at "
            + sequence.get() + " tasks. Does a requires() never end, always asking for a new task? If the graph"
            + " is really this large, give Java more memory (JAVA_OPTS=-Xmx...).");
      }
    } catch (Throwable e) {
      node.buildError = describe(e);
    }
  }

  /**
   * Refuses the run when the graph has filled the heap (see {@link #MEMORY_CHECK_EVERY}), naming
   * the task that asked for more and the path of requirements that led to it.
   */
  private void checkMemory(Node node) {
    int due = nextMemoryCheck.get();
    if (sequence.get() < due || !nextMemoryCheck.compareAndSet(due, sequence.get() + MEMORY_CHECK_EVERY)) {
      return;
    }
    Runtime runtime = Runtime.getRuntime();
    long max = runtime.maxMemory();
    // Most graphs leave most of the heap free: only past half full is it worth a closer look.
    if (max == Long.MAX_VALUE || runtime.totalMemory() - runtime.freeMemory() < max / 2 || !OldGeneration.nearlyFull()) {
      return;
    }
    // Much of it may be garbage: only what a full collection leaves counts.
    System.gc();
    if (!OldGeneration.nearlyFull()) {
      return;
    }
    throw new SchedulingException("The task graph grew to " + sequence.get() + " tasks and fills the memory of"
        + " this JVM (" + (max >> 20) + " MB of heap) while still growing. Does a requires() never end, always"
        + " asking for a new task? " + pathTo(node) + " If the graph is really this large, give Java more memory"
        + " (JAVA_OPTS=-Xmx...).");
  }

  /**
   * Where the graph's nodes end up, each having outlived a young collection: what runs out
   * first. Apart, so that the management classes are loaded only for a heap half full.
   */
  private static final class OldGeneration {
    static boolean nearlyFull() {
      for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
        // The old generation's pool is the heap's one with a usage threshold (eden and survivors have none).
        if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.isUsageThresholdSupported()) {
          java.lang.management.MemoryUsage usage = pool.getUsage();
          if (usage.getMax() > 0 && usage.getUsed() > MEMORY_FULL * usage.getMax()) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** The chain of first dependents from a root down to {@code node}, its length and ends. */
  private static String pathTo(Node node) {
    List<Node> path = new ArrayList<>();
    Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Node at = node; at != null && seen.add(at); at = at.dependentCount() == 0 ? null : at.dependent(0)) {
      path.add(at);
    }
    java.util.Collections.reverse(path);
    if (path.size() <= 6) {
      return shortId(node) + " is required through " + path.stream().map(GraphBuilder::shortId)
          .reduce((a, b) -> a + " -> " + b).orElse("") + ".";
    }
    return shortId(node) + " is required " + (path.size() - 1) + " levels down from " + shortId(path.get(0)) + ": "
        + shortId(path.get(0)) + " -> " + shortId(path.get(1)) + " -> " + shortId(path.get(2)) + " -> ... -> "
        + shortId(path.get(path.size() - 2)) + " -> " + shortId(node) + ".";
  }

  /** A task's id for a message, cut short when its parameters make it long. */
  private static String shortId(Node node) {
    String id = node.id.toString();
    return id.length() <= 200 ? id : id.substring(0, 200) + "...";
  }

  /**
   * Grows the index to hold {@code count} more nodes while it holds few. Grown by doubling as they
   * came, it moved every entry at each step (two million moves for a fan-in of a million: a sixth
   * of the graph threads' samples); now only its still nearly empty tables are walked.
   * {@link ConcurrentHashMap} has no method to reserve room, but {@code putAll} sizes its table for
   * the size of the map it is given before adding that map's entries: given one that only has a
   * size, it adds nothing. Were {@code putAll} ever to stop doing so, only this saving would be lost.
   */
  private void makeRoom(int count) {
    long wanted = Math.min(Integer.MAX_VALUE, (long) nodes.size() + count);
    nodes.putAll(new java.util.AbstractMap<TaskId, Node>() {
      @Override
      public int size() {
        return (int) wanted;
      }

      @Override
      public Set<Entry<TaskId, Node>> entrySet() {
        return Set.of();
      }
    });
  }

  /**
   * Hands all but the first new node to the pool, in batches, and returns that first one, to
   * follow on this thread. One hand-off per node made a fan-in of 100,000 queue 100,000 jobs, each
   * a lock, a queue node and often a wake-up of an idle checker thread.
   */
  private Node handOut(List<Node> created) {
    if (created.isEmpty()) {
      return null;
    }
    Node next = created.get(0);
    handOut(created, 1);
    return next;
  }

  /** Hands the new nodes from {@code first} on to the pool, in batches, and forgets them all. */
  private void handOut(List<Node> created, int first) {
    int count = created.size();
    // Batches small enough that the checker threads still share a wide fan-in evenly.
    int batch = Math.max(1, Math.min(HAND_OUT_BATCH, (count - first) / (checkerThreads * 4)));
    for (int from = first; from < count; from += batch) {
      Node[] nodes = created.subList(from, Math.min(count, from + batch)).toArray(new Node[0]);
      pool.execute(() -> {
        for (Node node : nodes) {
          expandFrom(node);
        }
      });
    }
    created.clear();
  }

  /** One line (a few for a bug in the task's code) saying what a task threw; never throws itself. */
  static String describe(Throwable e) {
    try {
      return describeOrThrow(e);
    } catch (Throwable failed) {
      // Its getMessage() threw, or no stack was left to print it.
      return e.getClass().getName();
    }
  }

  private static String describeOrThrow(Throwable e) {
    String message = e.getMessage();
    if (e instanceof io.sluice.SchedulingException && message != null) {
      return message;
    }
    String text = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    if (e instanceof NullPointerException || e instanceof IllegalStateException && message == null) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      return text + "\n" + trace.toString().lines().skip(1).limit(4).reduce("", (a, b) -> a + b + "\n");
    }
    return text;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
