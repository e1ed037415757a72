package io.sluice;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named amounts a task holds while it runs ({@code gpu=1}, {@code memory_gb=8}). The totals
 * come from {@code [resources]} in sluice.toml; a resource without a total is unlimited.
 *
 * @param amounts amount per resource name
 */
public record Resources(Map<String, Integer> amounts) {

  private static final Resources NONE = new Resources(Map.of());

  public Resources {
    TreeMap<String, Integer> copy = new TreeMap<>();
    amounts.forEach((name, amount) -> {
      if (amount == null || amount < 0) {
        throw new IllegalArgumentException(
            "resource '" + name + "' has amount " + amount + "; amounts must be 0 or more");
      }
      copy.put(name, amount);
    });
    amounts = Collections.unmodifiableMap(copy);
  }

  /** No resources. */
  public static Resources none() {
    return NONE;
  }

  /** One resource. */
  public static Resources of(String name, int amount) {
    return new Resources(Map.of(name, amount));
  }

  /** Two resources. */
  public static Resources of(String name, int amount, String name2, int amount2) {
    return new Resources(Map.of(name, amount, name2, amount2));
  }

  /** This plus one more resource. */
  public Resources and(String name, int amount) {
    TreeMap<String, Integer> more = new TreeMap<>(amounts);
    more.put(name, amount);
    return new Resources(more);
  }

  public boolean isEmpty() {
    return amounts.isEmpty();
  }

  @Override
  public String toString() {
    return amounts.toString();
  }
}
