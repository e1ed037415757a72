package io.sluice.examples.ensemble;

import io.sluice.Archives;
import io.sluice.LocalTarget;
import io.sluice.examples.Csv;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The one file a training writes: a zip archive holding the model itself ({@code model.ser} in
 * Tribuo's format, {@code model.json} for the Python network), {@code predictions.csv} with the
 * class probabilities of every test-split row ({@code id,p_Adelie,...}), and
 * {@code training.properties}: which model, where and when it was trained, and the SHA-256 of
 * the features file it was trained on. The Python trainer writes the same layout.
 *
 * @param path where the archive is
 * @param training the entries of {@code training.properties}
 * @param classes the class names, in the order of the probability columns
 * @param probabilities each test row's class probabilities, by row id, in file order
 */
public record ModelFile(Path path, Map<String, String> training, List<String> classes,
    Map<String, double[]> probabilities) {

  static final String PREDICTIONS = "predictions.csv";
  static final String TRAINING = "training.properties";

  /** Reads the predictions and training facts of a model archive (not the model itself). */
  public static ModelFile read(Path archive) throws IOException {
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      Properties properties = new Properties();
      try (Reader in = reader(zip, archive, TRAINING)) {
        properties.load(in);
      }
      Map<String, String> training = new LinkedHashMap<>();
      properties.stringPropertyNames().stream().sorted().forEach(key -> training.put(key, properties.getProperty(key)));
      Csv.Table table;
      try (Reader in = reader(zip, archive, PREDICTIONS)) {
        table = Csv.read(in, archive + "!" + PREDICTIONS);
      }
      if (!table.header().get(0).equals("id")
          || !table.header().stream().skip(1).allMatch(column -> column.startsWith("p_"))) {
        throw new IOException(archive + "!" + PREDICTIONS + " must have the columns id,p_<class>,...; found "
            + table.header());
      }
      List<String> classes = table.header().stream().skip(1).map(column -> column.substring(2)).toList();
      Map<String, double[]> probabilities = new LinkedHashMap<>();
      for (List<String> row : table.rows()) {
        double[] p = new double[classes.size()];
        for (int c = 0; c < p.length; c++) {
          p[c] = Double.parseDouble(row.get(c + 1));
        }
        probabilities.put(row.get(0), p);
      }
      return new ModelFile(archive, training, classes, probabilities);
    }
  }

  /** One entry of {@code training.properties}, or an error naming the archive and the key. */
  public String fact(String key) throws IOException {
    String value = training.get(key);
    if (value == null) {
      throw new IOException(path + "!" + TRAINING + " has no '" + key + "' (it has " + training.keySet() + ")");
    }
    return value;
  }

  /** An entry of {@code training.properties} in milliseconds since the epoch, as an instant. */
  public Instant time(String key) throws IOException {
    String value = fact(key);
    try {
      return Instant.ofEpochMilli(Long.parseLong(value));
    } catch (NumberFormatException e) {
      throw new IOException(path + "!" + TRAINING + ": " + key + " = " + value + " is not a number of milliseconds");
    }
  }

  private static Reader reader(ZipFile zip, Path archive, String name) throws IOException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new IOException(archive + " has no " + name + ": it is not a model file of this pipeline");
    }
    InputStream in = zip.getInputStream(entry);
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  /**
   * Writes a model archive from the JVM: {@code model} writes the model into the given directory,
   * then the predictions and the training facts join it, and the directory is packed into
   * {@code target} with {@link Archives#pack}.
   */
  static void write(LocalTarget target, ModelWriter model, List<String> classes, Map<String, double[]> probabilities,
      Map<String, String> training) throws IOException {
    Path dir = Files.createTempDirectory("sluice-model-");
    try {
      model.writeTo(dir);
      try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(PREDICTIONS), StandardCharsets.UTF_8)) {
        List<String> header = new ArrayList<>(List.of("id"));
        classes.forEach(name -> header.add("p_" + name));
        Csv.writeRecord(out, header);
        for (Map.Entry<String, double[]> row : probabilities.entrySet()) {
          List<String> fields = new ArrayList<>(List.of(row.getKey()));
          for (double p : row.getValue()) {
            fields.add(Double.toString(p));
          }
          Csv.writeRecord(out, fields);
        }
      }
      try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(TRAINING), StandardCharsets.UTF_8)) {
        for (Map.Entry<String, String> fact : training.entrySet()) {
          out.write(fact.getKey() + "=" + fact.getValue().replace("\\", "\\\\").replace("\n", "\\n") + "\n");
        }
      }
      Archives.pack(dir, target);
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  /**
   * The facts every trainer records: where it ran (the remote run's tier, id and commit, from the
   * environment a remote run sets; "local" otherwise) and the features it was trained on.
   */
  static Map<String, String> where(String model, Path features) throws IOException {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("model", model);
    facts.put("tier", System.getenv().getOrDefault("SLUICE_TIER", "local"));
    facts.put("run_id", System.getenv().getOrDefault("SLUICE_RUN_ID", ""));
    facts.put("commit", System.getenv().getOrDefault("SLUICE_COMMIT", ""));
    facts.put("process_started_ms", Long.toString(processStarted()));
    facts.put("features_sha256", sha256(features));
    return facts;
  }

  /** When this JVM started, in milliseconds since the epoch: the start of a remote run's process. */
  static long processStarted() {
    return ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  /** The SHA-256 of a file, in hex. */
  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a model's own files into a directory. */
  @FunctionalInterface
  interface ModelWriter {
    void writeTo(Path dir) throws IOException;
  }
}
