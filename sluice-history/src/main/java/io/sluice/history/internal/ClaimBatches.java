package io.sluice.history.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Claims of many worker threads sent together, as a database groups commits: a thread that finds
 * no claim statement in flight sends its own request and every one queued behind it, in one
 * statement, on its own thread; the others wait for that answer. No thread waits for company, so a
 * lone claim costs one round trip, and under load one round trip serves as many claims as there
 * are workers asking. A request may carry tasks to claim ahead with it: they go in the same
 * statement, and their answers come back with the request's.
 */
public final class ClaimBatches {

  /** Claims a batch of distinct tasks in the database: the epoch of each lease taken, by task. */
  @FunctionalInterface
  public interface Sender {
    Map<String, Long> claim(List<String> tasks, long deadlineMillis) throws IOException, InterruptedException;
  }

  private final Sender sender;
  private final int maxBatch;
  private final Object lock = new Object();
  private final List<Request> queue = new ArrayList<>();
  private boolean sending;

  public ClaimBatches(Sender sender, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("The largest claim batch is " + maxBatch + "; it must be at least 1");
    }
    this.sender = sender;
    this.maxBatch = maxBatch;
  }

  /**
   * Claims {@code task} once (no waiting for another holder), retrying the statement until {@code
   * deadlineMillis} while the database does not answer.
   *
   * @return the epoch of the lease taken, or null when another holds it
   */
  public Long claim(String task, long deadlineMillis) throws IOException, InterruptedException {
    return claim(task, List.of(), deadlineMillis).get(task);
  }

  /**
   * Claims {@code task} and, in the same statement, {@code ahead} (tasks no other request of this
   * process is claiming: the caller sees to it).
   *
   * @return the epoch of each lease taken among {@code task} and {@code ahead}, by task
   */
  public Map<String, Long> claim(String task, List<String> ahead, long deadlineMillis)
      throws IOException, InterruptedException {
    Request mine = new Request(task, ahead, deadlineMillis);
    synchronized (lock) {
      queue.add(mine);
    }
    while (true) {
      List<Request> batch;
      synchronized (lock) {
        while (sending && !mine.done) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            queue.remove(mine);
            throw e;
          }
        }
        if (mine.done) {
          return mine.answer();
        }
        // Ours may not be in it (another thread's claim of the same task is ahead): then the next.
        batch = take();
        sending = true;
      }
      send(batch);
    }
  }

  /** Claims waiting for a statement; for tests. */
  int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** Up to {@code maxBatch} requests from the head of the queue, at most one per task. */
  private List<Request> take() {
    List<Request> batch = new ArrayList<>();
    Set<String> tasks = new HashSet<>();
    for (Iterator<Request> it = queue.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
      Request request = it.next();
      if (tasks.add(request.task)) {
        batch.add(request);
        it.remove();
      }
    }
    return batch;
  }

  private void send(List<Request> batch) throws InterruptedException {
    long deadline = batch.stream().mapToLong(r -> r.deadline).max().orElseThrow();
    Set<String> tasks = new LinkedHashSet<>();
    for (Request request : batch) {
      tasks.add(request.task);
    }
    for (Request request : batch) {
      tasks.addAll(request.ahead);
    }
    Map<String, Long> epochs = null;
    Exception failure = null;
    try {
      epochs = sender.claim(List.copyOf(tasks), deadline);
    } catch (InterruptedException e) {
      synchronized (lock) {
        // Only this thread was interrupted: the others' requests go back to the head of the queue,
        // and one of them sends them again (a claim repeated by its holder is granted again).
        sending = false;
        queue.addAll(0, batch.stream().filter(r -> r.thread != Thread.currentThread()).toList());
        lock.notifyAll();
      }
      throw e;
    } catch (IOException | RuntimeException e) {
      failure = e;
    }
    synchronized (lock) {
      sending = false;
      for (Request request : batch) {
        request.failure = failure;
        request.epochs = epochs == null ? Map.of() : request.mine(epochs);
        request.done = true;
      }
      lock.notifyAll();
    }
  }

  /** One thread's claim of one task. */
  private static final class Request {
    final String task;
    final List<String> ahead;
    final long deadline;
    final Thread thread = Thread.currentThread();
    boolean done;
    Map<String, Long> epochs = Map.of();
    Exception failure;

    Request(String task, List<String> ahead, long deadline) {
      this.task = task;
      this.ahead = List.copyOf(ahead);
      this.deadline = deadline;
    }

    /** The answers of this request's tasks among those of its batch. */
    Map<String, Long> mine(Map<String, Long> all) {
      Map<String, Long> mine = new HashMap<>();
      Long epoch = all.get(task);
      if (epoch != null) {
        mine.put(task, epoch);
      }
      for (String other : ahead) {
        epoch = all.get(other);
        if (epoch != null) {
          mine.put(other, epoch);
        }
      }
      return mine;
    }

    Map<String, Long> answer() throws IOException {
      // Each thread gets an exception of its own, the cause shared.
      if (failure instanceof IOException e) {
        throw new IOException(e.getMessage(), e);
      }
      if (failure != null) {
        throw new IllegalStateException(failure.getMessage(), failure);
      }
      return epochs;
    }
  }
}
