package io.sluice;

import io.sluice.internal.Printable;
import io.sluice.internal.TaskType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task's identity: its family (its {@link Family} name, else its simple class name) and its
 * significant parameters, in declaration order. Two tasks with equal ids are the same task; two
 * task classes of one family in one graph are refused, since their ids could not tell them apart.
 *
 * @param family the task's family
 * @param params significant parameter values by name
 */
public record TaskId(String family, Map<String, Object> params) {

  public TaskId {
    params = compact(params);
  }

  /**
   * An unmodifiable copy in the given order. Most tasks have zero or one significant parameter:
   * those get the smallest maps (see {@link OneParam}), since a copied LinkedHashMap behind an
   * unmodifiable view was about 200 of the bytes each node of a large graph holds; more than one
   * are kept in two arrays (see {@link SeveralParams}).
   */
  private static Map<String, Object> compact(Map<String, Object> params) {
    return switch (params.size()) {
      case 0 -> Map.of();
      case 1 -> {
        if (params instanceof OneParam) {
          yield params;
        }
        Map.Entry<String, Object> only = params.entrySet().iterator().next();
        yield only.getKey() == null ? Collections.singletonMap(null, only.getValue())
            : new OneParam(only.getKey(), only.getValue());
      }
      default -> {
        if (params instanceof SeveralParams) {
          yield params;
        }
        SeveralParams copy = SeveralParams.copyOf(params);
        yield copy != null ? copy : Collections.unmodifiableMap(new LinkedHashMap<>(params));
      }
    };
  }

  /** The id of a task, from its record components (insignificant ones left out). */
  public static TaskId of(Task task) {
    TaskType type = TaskType.of(task.getClass());
    // The map made directly, not copied from a LinkedHashMap made first: one significant
    // parameter, as most tasks of a large graph have, or the values beside the type's names.
    String sole = type.soleSignificantName();
    if (sole != null) {
      return new TaskId(type.family(), new OneParam(sole, type.soleSignificantValue(task)));
    }
    String[] names = type.significantNames();
    return new TaskId(type.family(), names.length == 0 ? Map.of() : new SeveralParams(names, type.significantValues(task)));
  }

  /**
   * Mixes each parameter's hash before summing them: {@link Map#hashCode()} sums the plain ones,
   * so ids like {@code Cell(layer=2, index=5)} and {@code Cell(layer=3, index=4)} shared a hash,
   * and a map of 100,000 such ids searched bins of ten or more equal hashes, comparing maps.
   * Still a sum, so as independent of the parameters' order as {@link #equals}; without an
   * iterator, as ids are hashed a few times per task. Ids of one parameter keep the plain hash.
   */
  @Override
  public int hashCode() {
    return switch (params.size()) {
      // The record's own hash: one parameter's values alone tell ids apart, and consecutive
      // numbers keep consecutive hashes, which a map walks without cache misses.
      case 0, 1 -> 31 * family.hashCode() + params.hashCode();
      default -> {
        int[] hash = {family.hashCode()};
        params.forEach((name, value) -> hash[0] += mix(name.hashCode() * 31 + Objects.hashCode(value)));
        yield hash[0];
      }
    };
  }

  /** Spreads the bits: the golden ratio's multiplier, then the high bits folded down. */
  private static int mix(int hash) {
    int mixed = hash * 0x9E3779B9;
    return mixed ^ (mixed >>> 15);
  }

  /**
   * Renders as {@code FitModel(alpha=0.5, date=2024-01-01)}; a value's characters that a terminal
   * obeys rather than shows, newlines included, as {@code \\uXXXX} (see {@link Printable}).
   */
  @Override
  public String toString() {
    // A plain loop: the lock byte of every task is hashed from this text.
    StringBuilder text = new StringBuilder(family.length() + 16 * params.size() + 2).append(family).append('(');
    if (params instanceof OneParam one) {
      text.append(one.name()).append('=');
      format(text, one.value());
      return text.append(')').toString();
    }
    boolean first = true;
    for (Map.Entry<String, Object> param : params.entrySet()) {
      if (!first) {
        text.append(", ");
      }
      first = false;
      text.append(param.getKey()).append('=');
      format(text, param.getValue());
    }
    return text.append(')').toString();
  }

  static String format(Object value) {
    StringBuilder text = new StringBuilder();
    format(text, value);
    return text.toString();
  }

  private static void format(StringBuilder text, Object value) {
    if (value instanceof List<?> list) {
      text.append('[');
      boolean first = true;
      for (Object element : list) {
        if (!first) {
          text.append(',');
        }
        first = false;
        format(text, element);
      }
      text.append(']');
    } else {
      // Shown escaped only: a value from the command line may hold characters a terminal obeys (see Printable).
      Printable.appendLine(text, String.valueOf(value));
    }
  }
}
