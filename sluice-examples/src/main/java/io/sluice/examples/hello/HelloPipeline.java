package io.sluice.examples.hello;

import io.sluice.Description;
import io.sluice.LocalTarget;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.cli.Cli;
import io.sluice.remote.RemoteRun;
import java.io.IOException;
import java.util.List;

/**
 * The article's hello world: {@code Hello} runs on another machine of tier {@code Small},
 * {@code HelloWorld} here. This file is also a single-file pipeline: the remote side runs it from
 * the snapshot with Java's source launcher, so it runs the code of the commit, not of this build.
 *
 * <pre>
 * bin/sluice run HelloWorld
 * java -cp sluice-cli/target/sluice.jar sluice-examples/src/main/java/io/sluice/examples/hello/HelloPipeline.java Hello
 * </pre>
 */
public final class HelloPipeline {

  /** Where this file is in the project, for the remote command. */
  static final String SOURCE = "sluice-examples/src/main/java/io/sluice/examples/hello/HelloPipeline.java";

  private HelloPipeline() {}

  public static void main(String[] args) {
    Cli.run(args, HelloPipeline.class);
  }

  /** Writes "hello". */
  @Description("Writes hello_world_pipeline/hello.txt.")
  public record Hello() implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of("hello_world_pipeline/hello.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      try (var out = output().openWriter()) {
        out.write("hello\n");
      }
    }
  }

  /** Runs {@link Hello} on another machine, then appends "world" to what it wrote. */
  @Description("Runs Hello remotely on tier Small, then writes hello_world_pipeline/hello_world.txt.")
  public record HelloWorld() implements Task {
    @Override
    public List<Task> requires() {
      return List.of(RemoteRun.of(List.of(SOURCE, "Hello")).tier("Small").output(new Hello().output().path()));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of("hello_world_pipeline/hello_world.txt");
    }

    @Override
    public void run(TaskContext context) throws IOException {
      LocalTarget hello = context.input();
      try (var out = output().openWriter()) {
        out.write(hello.readString());
        out.write("world\n");
      }
    }
  }
}
