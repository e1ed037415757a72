package io.sluice.domino.emulator;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who runs next on each hardware tier: at most the tier's limit at once, the others wait in the
 * order they came. Single-threaded; the caller holds its own lock.
 */
final class TierSlots<T> {

  private final Map<String, Integer> limits;
  private final Map<String, Integer> busy = new HashMap<>();
  private final Map<String, ArrayDeque<T>> waiting = new HashMap<>();

  TierSlots(Map<String, Integer> limits) {
    this.limits = new LinkedHashMap<>(limits);
  }

  /** The tiers' names, in the order they were given. */
  java.util.Set<String> names() {
    return java.util.Collections.unmodifiableSet(limits.keySet());
  }

  boolean knows(String tier) {
    return limits.containsKey(tier);
  }

  /** Takes a slot of the tier for {@code item} and returns true, or puts it in the tier's queue and returns false. */
  boolean offer(String tier, T item) {
    int limit = limits.get(tier);
    int used = busy.getOrDefault(tier, 0);
    if (used < limit && waiting.getOrDefault(tier, new ArrayDeque<>()).isEmpty()) {
      busy.put(tier, used + 1);
      return true;
    }
    waiting.computeIfAbsent(tier, t -> new ArrayDeque<>()).addLast(item);
    return false;
  }

  /** Frees a slot of the tier; returns the waiting item that takes it, if any. */
  Optional<T> release(String tier) {
    ArrayDeque<T> queue = waiting.get(tier);
    if (queue != null && !queue.isEmpty()) {
      return Optional.of(queue.removeFirst()); // the slot passes on: busy stays the same
    }
    busy.merge(tier, -1, Integer::sum);
    return Optional.empty();
  }

  /** Takes a waiting item out of its queue; false when it was not waiting. */
  boolean withdraw(String tier, T item) {
    ArrayDeque<T> queue = waiting.get(tier);
    return queue != null && queue.remove(item);
  }

  int busy(String tier) {
    return busy.getOrDefault(tier, 0);
  }
}
