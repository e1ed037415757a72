package io.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice init [DIR]}: a new pipeline project that builds and runs as generated, either a
 * Maven project depending on Sluice through its BOM or one {@code Pipeline.java} for Java's
 * source launcher. It never overwrites a file.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Creates a pipeline project in DIR: a two-task example, its test, sluice.toml, .gitignore.")
final class InitCommand implements Callable<Integer> {

  /**
   * Plugin versions of the generated pom: the ones Sluice's own build uses, so that a machine that
   * built Sluice can build the project offline (InitCommandTest compares them with the root pom).
   */
  static final Map<String, String> PLUGIN_VERSIONS = Map.of(
      "maven-resources-plugin", "3.3.1",
      "maven-compiler-plugin", "3.13.0",
      "maven-surefire-plugin", "3.5.4",
      "maven-jar-plugin", "3.4.2");

  /** The JUnit of the generated test: the one Sluice's own tests use. */
  static final String JUNIT_VERSION = "5.14.1";

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Where (default: the working directory).")
  Path directory = Path.of(".");

  @ArgGroup(exclusive = true)
  Layout layout = new Layout();

  /** The two layouts, one at a time. */
  static final class Layout {
    @Option(names = "--maven", description = "A Maven project: pom.xml with the Sluice BOM, src/main/java, a test (default).")
    boolean maven;

    @Option(names = "--single-file", description = "One Pipeline.java, run with java -cp \"SLUICE/lib/*\" Pipeline.java TASK.")
    boolean singleFile;
  }

  @Override
  public Integer call() throws IOException {
    Map<String, String> files = layout.singleFile ? singleFileLayout() : mavenLayout();
    List<String> existing = new ArrayList<>();
    for (String name : files.keySet()) {
      if (Files.exists(directory.resolve(name))) {
        existing.add(name);
      }
    }
    if (!existing.isEmpty()) {
      throw new CliException("init would overwrite " + String.join(", ", existing) + " in " + directory.toAbsolutePath().normalize()
          + ". Move them away, or name another directory: sluice init DIR.");
    }
    Map<String, String> values = placeholders();
    for (Map.Entry<String, String> file : files.entrySet()) {
      String text = template(file.getValue());
      for (Map.Entry<String, String> value : values.entrySet()) {
        text = text.replace(value.getKey(), value.getValue());
      }
      Path target = directory.resolve(file.getKey());
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.writeString(target, text, StandardCharsets.UTF_8);
    }
    PrintStream out = System.out;
    out.println("Created " + String.join(", ", files.keySet()) + " in " + directory.toAbsolutePath().normalize() + ".");
    if (layout.singleFile) {
      out.println("Run it:  java -cp \"" + values.get("@SLUICE_LIB@") + "/*\" Pipeline.java CountWords");
    } else {
      out.println("Build and run it:  mvn -q package && sluice run -cp target/classes CountWords");
    }
    return 0;
  }

  private static Map<String, String> mavenLayout() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("pom.xml", "maven/pom.xml");
    files.put("sluice.toml", "maven/sluice.toml");
    files.put(".gitignore", "common/gitignore+maven/gitignore-extra");
    files.put("src/main/java/pipeline/WriteText.java", "maven/src/main/java/pipeline/WriteText.java");
    files.put("src/main/java/pipeline/CountWords.java", "maven/src/main/java/pipeline/CountWords.java");
    files.put("src/test/java/pipeline/CountWordsTest.java", "maven/src/test/java/pipeline/CountWordsTest.java");
    return files;
  }

  private static Map<String, String> singleFileLayout() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("Pipeline.java", "single/Pipeline.java");
    files.put("sluice.toml", "single/sluice.toml");
    files.put(".gitignore", "common/gitignore");
    return files;
  }

  private Map<String, String> placeholders() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("@VERSION@", BuildInfo.current().version());
    Path name = directory.toAbsolutePath().normalize().getFileName();
    String artifact = name == null ? "" : name.toString().toLowerCase().replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[-.]+", "");
    values.put("@ARTIFACT@", artifact.isEmpty() ? "pipeline" : artifact);
    values.put("@JUNIT@", JUNIT_VERSION);
    values.put("@RESOURCES_PLUGIN@", PLUGIN_VERSIONS.get("maven-resources-plugin"));
    values.put("@COMPILER_PLUGIN@", PLUGIN_VERSIONS.get("maven-compiler-plugin"));
    values.put("@SUREFIRE_PLUGIN@", PLUGIN_VERSIONS.get("maven-surefire-plugin"));
    values.put("@JAR_PLUGIN@", PLUGIN_VERSIONS.get("maven-jar-plugin"));
    // The launcher of the distribution says where it is installed.
    String home = System.getProperty("sluice.home");
    values.put("@SLUICE_LIB@", home == null ? "/path/to/sluice/lib" : Path.of(home, "lib").toString());
    return values;
  }

  /** A template's text; "a+b" is two templates one after the other. */
  private static String template(String names) {
    StringBuilder text = new StringBuilder();
    for (String name : names.split("\\+")) {
      try (InputStream in = InitCommand.class.getResourceAsStream("init/" + name)) {
        if (in == null) {
          throw new IllegalStateException("The sluice jar lacks its template init/" + name + ": rebuild it");
        }
        text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return text.toString();
  }
}
