package io.sluice;

import java.io.BufferedWriter;
import java.nio.file.Path;

/**
 * The main of child JVMs started by tests: {@code hang DIR} starts writing {@code DIR/out.txt}
 * in a task and waits to be killed; {@code non-ascii DIR} writes a file with a non-ASCII name;
 * {@code too-large DIR} runs a task writing more than the file size limit it is started with.
 */
public final class OutputChild {

  /** Writes part of its output, says so on stdout, and waits to be killed. */
  record Hangs(Path dir) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("out.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      BufferedWriter out = output().openWriter();
      out.write("partial");
      out.flush();
      System.out.println("writing");
      System.out.flush();
      new java.util.concurrent.CountDownLatch(1).await();
    }
  }

  /** Writes 2 MiB, more than the file size limit its test starts it with. */
  record TooLarge(Path dir) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("big.bin"));
    }

    public void run(TaskContext ctx) throws Exception {
      try (var out = output().openOutputStream()) {
        byte[] mebibyte = new byte[1 << 20];
        out.write(mebibyte);
        out.write(mebibyte);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "hang" -> Sluice.builder().stateDir(dir.resolve(".sluice")).build().run(new Hangs(dir));
      case "too-large" -> System.out.println(Sluice.builder().stateDir(dir.resolve(".sluice")).build().run(new TooLarge(dir)).summary());
      case "non-ascii" -> {
        LocalTarget.of(args[1], "\u00e9t\u00e9.txt").writeString("summer");
        System.out.println("written");
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }
}
