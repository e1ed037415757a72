package io.sluice.cli;

import io.sluice.Description;
import io.sluice.ExternalTask;
import io.sluice.LocalTarget;
import io.sluice.Param;
import io.sluice.Resources;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.Tasks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Tasks for the command-line tests; outputs go under {@link #dir}. */
final class TestPipeline {

  static volatile Path dir;

  private TestPipeline() {}

  static LocalTarget file(String name) {
    return LocalTarget.of(dir.resolve(name));
  }

  @Description("One link of a chain: link n requires link n - 1.")
  record Chain(@Param(defaultValue = "3") int n) implements Task {
    @Override
    public List<? extends Task> requires() {
      return n == 0 ? List.of() : List.of(new Chain(n - 1));
    }

    @Override
    public LocalTarget output() {
      return file("chain-" + n + ".txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      output().writeString(n + "\n");
    }
  }

  @Description("Writes a word.")
  record Word(@Param(defaultValue = "hello", description = "the word to write") String word) implements Task {
    @Override
    public LocalTarget output() {
      return file("word-" + word + ".txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      output().writeString(word + "\n");
    }
  }

  @Description("Repeats the word.")
  record Repeat(@Param(defaultValue = "2") int times, @Param(defaultValue = "2024-01-31") LocalDate day)
      implements Task {
    @Override
    public List<Task> requires() {
      return List.of(Tasks.create(Word.class));
    }

    @Override
    public LocalTarget output() {
      return file("repeat-" + times + "-" + day + ".txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      LocalTarget in = context.input();
      output().writeString(in.readString().repeat(times));
    }
  }

  record Broken() implements Task {
    @Override
    public LocalTarget output() {
      return file("broken.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      try (var out = output().openWriter()) {
        out.write("partial");
        throw new IllegalStateException("the disk is on fire");
      }
    }
  }

  @Description("Writes a note to one file, whatever it says.")
  record Note(@Param(defaultValue = "hi") String text) implements Task {
    @Override
    public LocalTarget output() {
      return file("note.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      output().writeString(text);
    }
  }

  @Description("Fails, saying the words it was given.")
  record Shout(@Param(defaultValue = "hey") String words) implements Task {
    @Override
    public LocalTarget output() {
      return file("shout.txt");
    }

    @Override
    public void run(TaskContext context) {
      throw new IllegalArgumentException("cannot shout " + words);
    }
  }

  record AfterBroken() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new Broken());
    }

    @Override
    public LocalTarget output() {
      return file("after-broken.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      output().writeString("never");
    }
  }

  record Both() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new AfterBroken(), new Word("independent"));
    }

    @Override
    public LocalTarget output() {
      return file("both.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      output().writeString("never");
    }
  }

  record Raw() implements ExternalTask {
    @Override
    public LocalTarget output() {
      return file("raw.csv");
    }
  }

  record Clean() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new Raw());
    }

    @Override
    public LocalTarget output() {
      return file("clean.csv");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      output().writeString(((LocalTarget) context.input()).readString());
    }
  }

  record CycleA() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new CycleB());
    }

    @Override
    public LocalTarget output() {
      return file("a.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      output().writeString("a");
    }
  }

  record CycleB() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new CycleA());
    }

    @Override
    public LocalTarget output() {
      return file("b.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      output().writeString("b");
    }
  }

  record NeedsTwoGpus() implements Task {
    @Override
    public Resources resources() {
      return Resources.of("gpu", 2);
    }

    @Override
    public LocalTarget output() {
      return file("gpu.txt");
    }

    @Override
    public void run(TaskContext context) throws Exception {
      output().writeString("trained");
    }
  }

  /**
   * Times out after 0.1 s and ignores the interrupt for a second: it is abandoned after the grace.
   * It writes nothing, so its abandoned thread never touches the test's directory once it is gone.
   */
  record Stubborn() implements Task {
    @Override
    public LocalTarget output() {
      return file("stubborn.txt");
    }

    @Override
    public Optional<Duration> timeout() {
      return Optional.of(Duration.ofMillis(100));
    }

    @Override
    public void run(TaskContext context) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (System.nanoTime() < end) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
  }

  /** Requires a task whose id() throws and one whose complete() throws an Error. */
  record BadlyBuilt() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new Unidentifiable(), new Unchecked());
    }

    @Override
    public LocalTarget output() {
      return file("badly-built.txt");
    }
  }

  record Unidentifiable() implements Task {
    @Override
    public io.sluice.TaskId id() {
      throw new IllegalStateException("id() is broken");
    }

    @Override
    public LocalTarget output() {
      return file("unidentifiable.txt");
    }
  }

  record Unchecked() implements Task {
    @Override
    public boolean complete() {
      throw new AssertionError("complete() is broken");
    }

    @Override
    public LocalTarget output() {
      return file("unchecked.txt");
    }
  }
}
