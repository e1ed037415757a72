package io.sluice.internal;

import io.sluice.ExternalTask;
import io.sluice.LocalTarget;
import io.sluice.Target;
import io.sluice.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a task must run, kept as a cause and put into words only when a listener, a report or the
 * summary asks. The words of "output /.../leaf-123.txt missing" (a string, its bytes and a list)
 * were 156 bytes of every node of a cold graph, made for every task whether anyone asked or not;
 * the usual cause, the task's only output missing, is now one object shared by all tasks.
 */
abstract sealed class Reasons {

  /** Up to date: no reason to run. */
  static final Reasons NONE = new Texts(List.of());

  private static final Reasons FIRST_OUTPUT_MISSING = new MissingOutputs(1L, false);
  private static final Reasons FIRST_EXTERNAL_MISSING = new MissingOutputs(1L, true);

  /** The reasons in words, as the user reads them; {@code task} is the task they are about. */
  abstract List<String> texts(Task task);

  abstract boolean isEmpty();

  /** How many reasons {@link #texts} gives. */
  abstract int count();

  /** Reasons already in words (policies' findings, forced runs, cycles). */
  static Reasons of(List<String> texts) {
    return texts.isEmpty() ? NONE : new Texts(List.copyOf(texts));
  }

  static Reasons of(String text) {
    return new Texts(List.of(text));
  }

  /**
   * The outputs of {@code task} that are missing, files found through {@code present} (many
   * inputs of one directory cost one listing); the words are made again from the task's outputs
   * when asked (outputs() depends on the task's parameters alone).
   */
  static Reasons missingOutputs(Task task, PresentFiles present) {
    return missingOutputs(task, task.outputs(), present, null);
  }

  /**
   * As {@link #missingOutputs(Task, PresentFiles)}, with the task's {@code outputs} already asked
   * for; where a task's one output was found is kept in {@code node} (may be null) as
   * {@link Node#outputFoundIn}.
   */
  static Reasons missingOutputs(Task task, List<? extends Target> outputs, PresentFiles present, Node node) {
    boolean external = task instanceof ExternalTask;
    long missing = 0;
    int missingCount = 0;
    List<String> texts = null;
    int index = 0;
    for (Target output : outputs) {
      boolean exists;
      if (output instanceof LocalTarget local) {
        Object where = present.where(local.path());
        exists = where != null;
        if (node != null && outputs.size() == 1) {
          node.outputFoundIn = where;
        }
      } else {
        exists = output.exists();
      }
      if (!exists) {
        missingCount++;
        if (index < Long.SIZE && texts == null) {
          missing |= 1L << index;
        } else {
          // Past 64 outputs the bits run out: that rare task keeps its words.
          if (texts == null) {
            texts = new ArrayList<>(MissingOutputs.texts(task, missing, external));
          }
          texts.add(MissingOutputs.text(output, external));
        }
      }
      index++;
    }
    if (node != null) {
      node.outputsMissing = missingCount > 0 && missingCount == index;
    }
    if (texts != null) {
      return of(texts);
    }
    if (missing == 0) {
      return NONE;
    }
    if (missing == 1L) {
      return external ? FIRST_EXTERNAL_MISSING : FIRST_OUTPUT_MISSING;
    }
    return new MissingOutputs(missing, external);
  }

  /** These reasons, and then that each of {@code upstream} (tasks this one requires) will run. */
  Reasons andUpstream(List<Node> upstream) {
    return new Upstream(this, upstream.toArray(new Node[0]));
  }

  /** Reasons already in words. */
  private static final class Texts extends Reasons {
    private final List<String> texts;

    Texts(List<String> texts) {
      this.texts = texts;
    }

    @Override
    List<String> texts(Task task) {
      return texts;
    }

    @Override
    boolean isEmpty() {
      return texts.isEmpty();
    }

    @Override
    int count() {
      return texts.size();
    }
  }

  /** Outputs missing, by their position among the task's outputs (bit i: the i-th). */
  private static final class MissingOutputs extends Reasons {
    private final long missing;
    private final boolean external;

    MissingOutputs(long missing, boolean external) {
      this.missing = missing;
      this.external = external;
    }

    @Override
    List<String> texts(Task task) {
      return texts(task, missing, external);
    }

    @Override
    boolean isEmpty() {
      return false;
    }

    @Override
    int count() {
      return Long.bitCount(missing);
    }

    static List<String> texts(Task task, long missing, boolean external) {
      List<? extends Target> outputs;
      try {
        outputs = task.outputs();
      } catch (RuntimeException e) {
        // It answered when checked; should it fail now, the reason still says what was found.
        return List.of((external ? "external data" : "outputs") + " missing (outputs() failed when asked again: "
            + GraphBuilder.describe(e) + ")");
      }
      List<String> texts = new ArrayList<>(Long.bitCount(missing));
      for (int i = 0; i < outputs.size() && i < Long.SIZE; i++) {
        if ((missing & (1L << i)) != 0) {
          texts.add(text(outputs.get(i), external));
        }
      }
      return List.copyOf(texts);
    }

    static String text(Target output, boolean external) {
      return external ? "external data " + output + " missing" : "output " + output + " missing";
    }
  }

  /** Some reasons of the task's own, then tasks it requires that will run. */
  private static final class Upstream extends Reasons {
    private final Reasons own;
    private final Node[] upstream;

    Upstream(Reasons own, Node[] upstream) {
      this.own = own;
      this.upstream = upstream;
    }

    @Override
    List<String> texts(Task task) {
      List<String> texts = new ArrayList<>(own.texts(task));
      for (Node dep : upstream) {
        texts.add("upstream " + dep.id + " will run");
      }
      return List.copyOf(texts);
    }

    @Override
    boolean isEmpty() {
      return false;
    }

    @Override
    int count() {
      return own.count() + upstream.length;
    }
  }
}
