package io.sluice.bench;

import io.sluice.LocalTarget;
import io.sluice.Param;
import io.sluice.Task;
import io.sluice.TaskContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The graph shapes under test. Every task is a no-op that writes one tiny file atomically; the
 * output directory is an insignificant parameter, so ids read like {@code Link(index=41)}.
 */
enum Shape {

  /** Task i requires task i-1; the root is the last link. Nothing can run in parallel. */
  CHAIN {
    @Override
    Task root(Path dir, int tasks) {
      return new Link(dir, tasks - 1);
    }

    @Override
    List<Path> files(Path dir, int tasks) {
      List<Path> files = new ArrayList<>(tasks);
      for (int i = 0; i < tasks; i++) {
        files.add(Link.file(dir, i));
      }
      return files;
    }

    @Override
    int graphSize(int tasks) {
      return tasks;
    }
  },

  /** N independent leaves and one root that requires them all. */
  FANIN {
    @Override
    Task root(Path dir, int tasks) {
      return new Gather(dir, tasks);
    }

    @Override
    List<Path> files(Path dir, int tasks) {
      List<Path> files = new ArrayList<>(tasks + 1);
      for (int i = 0; i < tasks; i++) {
        files.add(Leaf.file(dir, i));
      }
      files.add(Gather.file(dir));
      return files;
    }

    @Override
    int graphSize(int tasks) {
      return tasks + 1;
    }
  },

  /**
   * Ten layers of N/10 tasks, each requiring two tasks of the layer below, and a root on top
   * requiring the whole last layer.
   */
  DIAMOND {
    @Override
    Task root(Path dir, int tasks) {
      return new Top(dir, tasks / LAYERS);
    }

    @Override
    List<Path> files(Path dir, int tasks) {
      int width = tasks / LAYERS;
      List<Path> files = new ArrayList<>(tasks + 1);
      for (int layer = 0; layer < LAYERS; layer++) {
        for (int i = 0; i < width; i++) {
          files.add(Cell.file(dir, layer, i));
        }
      }
      files.add(Top.file(dir));
      return files;
    }

    @Override
    int graphSize(int tasks) {
      return tasks + 1;
    }

    @Override
    String check(int tasks) {
      return tasks % LAYERS == 0 ? null
          : "the diamond shape needs a task count divisible by " + LAYERS + " (got " + tasks + ")";
    }
  };

  static final int LAYERS = 10;

  /** The task whose run builds the whole graph. */
  abstract Task root(Path dir, int tasks);

  /** Every output file of the graph, the root's last; the bare loop writes exactly these. */
  abstract List<Path> files(Path dir, int tasks);

  /** How many tasks the graph holds, the root included. */
  abstract int graphSize(int tasks);

  /** Why this shape cannot be built with that many tasks, or null when it can. */
  String check(int tasks) {
    return null;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Shape parse(String text) {
    for (Shape shape : values()) {
      if (shape.label().equals(text)) {
        return shape;
      }
    }
    throw new IllegalArgumentException("unknown shape '" + text + "' (known: chain, fanin, diamond, all)");
  }

  private static void write(LocalTarget target) throws IOException {
    try (OutputStream out = target.openOutputStream()) {
      out.write(BareLoop.CONTENT);
    }
  }

  /** A link of the chain: requires the link before it. */
  record Link(@Param(significant = false) Path dir, int index) implements Task {
    static Path file(Path dir, int index) {
      return dir.resolve("link-" + index);
    }

    @Override
    public List<Link> requires() {
      return index == 0 ? List.of() : List.of(new Link(dir, index - 1));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(file(dir, index));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      write(output());
    }
  }

  /** A leaf of the fan-in. */
  record Leaf(@Param(significant = false) Path dir, int index) implements Task {
    static Path file(Path dir, int index) {
      return dir.resolve("leaf-" + index);
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(file(dir, index));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      write(output());
    }
  }

  /** The root of the fan-in: requires every leaf. */
  record Gather(@Param(significant = false) Path dir, int leaves) implements Task {
    static Path file(Path dir) {
      return dir.resolve("gather");
    }

    @Override
    public List<Leaf> requires() {
      List<Leaf> all = new ArrayList<>(leaves);
      for (int i = 0; i < leaves; i++) {
        all.add(new Leaf(dir, i));
      }
      return all;
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(file(dir));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      write(output());
    }
  }

  /** A task of the diamond: requires tasks i and i+1 (wrapping) of the layer below. */
  record Cell(@Param(significant = false) Path dir, @Param(significant = false) int width, int layer, int index)
      implements Task {
    static Path file(Path dir, int layer, int index) {
      return dir.resolve("cell-" + layer + "-" + index);
    }

    @Override
    public List<Cell> requires() {
      if (layer == 0) {
        return List.of();
      }
      int next = (index + 1) % width;
      return next == index ? List.of(new Cell(dir, width, layer - 1, index))
          : List.of(new Cell(dir, width, layer - 1, index), new Cell(dir, width, layer - 1, next));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(file(dir, layer, index));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      write(output());
    }
  }

  /** The top of the diamond: requires the whole last layer. */
  record Top(@Param(significant = false) Path dir, int width) implements Task {
    static Path file(Path dir) {
      return dir.resolve("top");
    }

    @Override
    public List<Cell> requires() {
      List<Cell> last = new ArrayList<>(width);
      for (int i = 0; i < width; i++) {
        last.add(new Cell(dir, width, LAYERS - 1, i));
      }
      return last;
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(file(dir));
    }

    @Override
    public void run(TaskContext context) throws IOException {
      write(output());
    }
  }
}
