package io.sluice.remote.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The remote runs in flight of a project, one small file each under {@code .sluice/inflight/},
 * written atomically (temporary file and rename) with the run id before the snapshot is exported
 * and again with the backend's job id once the backend accepted the run, removed when the run ends. A driver that dies (kill -9, power
 * loss) leaves its records behind: the next run of the same remote task re-attaches to the job
 * instead of submitting it again, and the retention policy keeps what a record names.
 */
public final class InFlightRecords {

  /** The directory name under {@code .sluice}. */
  public static final String DIR = "inflight";

  private final Path dir;

  public InFlightRecords(Path dir) {
    this.dir = dir;
  }

  /**
   * One record.
   *
   * @param key what identifies the remote run: backend, task, commit and working directory
   * @param backend the backend's name
   * @param task the task's id, for people reading the file
   * @param commit the full commit id
   * @param runId the run's name (its run directory), chosen before it is submitted: the backend
   *     finds the run by it when the job id was never recorded
   * @param jobId the backend's id (a Slurm job id), or empty until the backend accepted the run
   */
  public record InFlight(String key, String backend, String task, String commit, String runId, String jobId) {}

  /** The key of a remote run: the same for the same task, backend, commit and working directory. */
  public static String key(String backend, String task, String commit, String workdir) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] bytes = digest.digest(String.join("\n", backend, task, commit, workdir).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(bytes, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Writes (or replaces) a record atomically. */
  public void write(InFlight record) throws IOException {
    Files.createDirectories(dir);
    Properties properties = new Properties();
    Map<String, String> values = new TreeMap<>(Map.of("key", record.key(), "backend", record.backend(),
        "task", record.task(), "commit", record.commit(), "run_id", record.runId(), "job_id", record.jobId()));
    properties.putAll(values);
    Path file = file(record.key());
    Path temp = Files.createTempFile(dir, "." + record.key(), ".tmp");
    try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
      properties.store(out, "A remote run in flight; removed when it ends");
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The record of a key, if there is one. */
  public Optional<InFlight> find(String key) {
    return read(file(key));
  }

  /** Removes a record; nothing when it is gone already. */
  public void remove(String key) throws IOException {
    Files.deleteIfExists(file(key));
  }

  /** Every record (unreadable files left out). */
  public List<InFlight> all() throws IOException {
    List<InFlight> records = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return records;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.properties")) {
      for (Path file : files) {
        read(file).ifPresent(records::add);
      }
    }
    return records;
  }

  private Path file(String key) {
    if (!key.matches("[0-9a-f]+")) {
      throw new IllegalArgumentException("in-flight key '" + key + "' is not hexadecimal");
    }
    return dir.resolve(key + ".properties");
  }

  private static Optional<InFlight> read(Path file) {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String key = properties.getProperty("key");
    if (key == null) {
      return Optional.empty();
    }
    return Optional.of(new InFlight(key, properties.getProperty("backend", ""), properties.getProperty("task", ""),
        properties.getProperty("commit", ""), properties.getProperty("run_id", ""),
        properties.getProperty("job_id", "")));
  }
}
