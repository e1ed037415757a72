package io.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Help.Ansi;

/**
 * What {@code sluice --help} and {@code sluice --version} print, without building the command
 * tree: picocli reads the annotations of every command and option first, which is most of the
 * start-up time of a JVM that then only prints. The usage text is rendered by picocli when the
 * jar is built ({@link #main}, plain and in colour) and read back from beside the classes.
 */
final class PrerenderedHelp {

  static final String PLAIN = "usage.txt";
  static final String COLOUR = "usage-ansi.txt";

  private PrerenderedHelp() {}

  /**
   * The text for these arguments, or empty when they are anything else for picocli to parse (or
   * the usage was not rendered into this build, or its width was changed).
   */
  static Optional<String> forArguments(List<String> args) {
    if (args.size() > 1) {
      return Optional.empty();
    }
    // No arguments at all prints the usage too (Cli.run()).
    String only = args.isEmpty() ? "--help" : args.get(0);
    return switch (only) {
      case "-h", "--help" -> usage(Ansi.AUTO.enabled());
      case "-V", "--version" -> Optional.of(String.join(System.lineSeparator(), new Cli.Version().getVersion())
          + System.lineSeparator());
      default -> Optional.empty();
    };
  }

  /** The usage of the root command as picocli renders it at the default width of 80 columns. */
  static Optional<String> usage(boolean colour) {
    if (System.getProperty("picocli.usage.width") != null) {
      return Optional.empty();
    }
    try (InputStream in = PrerenderedHelp.class.getResourceAsStream(colour ? COLOUR : PLAIN)) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the usage text from the sluice jar: " + e.getMessage(), e);
    }
  }

  /** The usage as picocli renders it from the command definitions now. */
  static String render(Ansi ansi) {
    StringWriter text = new StringWriter();
    Cli.commandLine(new Cli(List.of())).usage(new PrintWriter(text, true), ansi);
    return text.toString();
  }

  /** Writes both renderings into the class output directory given as the only argument; run by the build. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("Expected the class output directory (target/classes), got " + List.of(args));
    }
    Path dir = Path.of(args[0]).resolve(PrerenderedHelp.class.getPackageName().replace('.', '/'));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(PLAIN), render(Ansi.OFF), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(COLOUR), render(Ansi.ON), StandardCharsets.UTF_8);
  }
}
