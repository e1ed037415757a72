package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What tasks share through the run's scope belongs to that run alone and is closed at its end. */
class RunScopeTest {

  @TempDir
  static Path dir;

  /** A run-scoped object that says when it is made and closed. */
  static final class Session implements AutoCloseable {
    final String name;
    final List<String> log;

    Session(String name, List<String> log) {
      this.name = name;
      this.log = log;
      log.add("made " + name);
    }

    @Override
    public void close() {
      log.add("closed " + name);
    }
  }

  record Uses(String name, int n, List<String> log, List<Session> seen) implements Task {
    @Override
    public boolean complete() {
      return false;
    }

    @Override
    public void checkBeforeRun(RunScope run) {
      seen.add(run.shared(Session.class, s -> new Session(String.valueOf(s.get("run", "name")), log)));
    }

    @Override
    public void run(TaskContext context) {
      seen.add(context.shared(Session.class, s -> new Session("again", log)));
    }
  }

  record Both(String name, List<String> log, List<Session> seen) implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new Uses(name, 1, log, seen), new Uses(name, 2, log, seen));
    }
  }

  private static RunResult run(String name, List<String> log, List<Session> seen) {
    return Sluice.builder().workers(2).settings(new Settings(Map.of("run", Map.of("name", name))))
        .stateDir(dir.resolve(".sluice")).build()
        .run(new Both(name, log, seen));
  }

  @Test
  void eachRunMakesItsOwnSharedObjectOnceAndClosesItWhenItEnds() {
    List<String> log = new CopyOnWriteArrayList<>();
    List<Session> first = new CopyOnWriteArrayList<>();
    List<Session> second = new CopyOnWriteArrayList<>();

    assertThat(run("first", log, first).exitCode()).isEqualTo(ExitCode.SUCCESS);
    run("second", log, second);

    assertThat(first).hasSize(4).allSatisfy(s -> assertThat(s).isSameAs(first.get(0)));
    assertThat(second).hasSize(4).allSatisfy(s -> assertThat(s).isSameAs(second.get(0)));
    assertThat(first.get(0)).isNotSameAs(second.get(0));
    assertThat(log).containsExactly("made first", "closed first", "made second", "closed second");
  }
}
