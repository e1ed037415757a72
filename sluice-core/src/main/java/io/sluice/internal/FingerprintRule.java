package io.sluice.internal;

import io.sluice.LocalTarget;
import io.sluice.ProgramTask;
import io.sluice.Settings;
import io.sluice.Target;
import io.sluice.Task;
import io.sluice.TaskId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The fingerprint policy: a task is out of date when what its outputs were built from (recorded
 * when they were committed, see {@link FingerprintJournal}) differs from what it would be built
 * from now. The code of a task is its class's bytes, the files it declares as code (hashed as git
 * names them) and, for a program, its environment.
 */
final class FingerprintRule implements AutoCloseable {

  private static final int PARALLEL_INPUTS = 1024;
  // Past this many inputs one digest stands for all, so that a record stays small; a change is
  // then reported without naming the file.
  private static final int LISTED_INPUTS = 64;

  // A cache of what never changes while the class is loaded, not run state.
  private static final ClassValue<String> CLASS_VERSION = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      String resource = type.getName().replace('.', '/') + ".class";
      ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          // Classes compiled in memory (java Pipeline.java) have no bytes to read: their name stands in.
          return "unreadable";
        }
        MessageDigest digest = ContentHashes.sha1();
        digest.update(in.readAllBytes());
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
      } catch (IOException e) {
        return "unreadable";
      }
    }
  };

  // The name the class's version is recorded under: made once per class, not once per task.
  private static final ClassValue<String> CLASS_NAME = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      return "class " + type.getSimpleName();
    }
  };

  // The code part of the line of a task that declares no other code, as appendBuiltFrom writes it.
  private static final ClassValue<String> CLASS_CODE = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      return Fingerprint.appendPair(new StringBuilder(), true, CLASS_NAME.get(type), CLASS_VERSION.get(type), true)
          .toString();
    }
  };

  private final FingerprintJournal journal;
  private final ContentHashes hashes;
  private final Settings settings;
  private final Path logDir;

  /** @param others the other runs of the project (see {@link OtherProcesses}) */
  FingerprintRule(Path stateDir, Settings settings, Path logDir, FingerprintJournal.Others others) {
    this.settings = settings;
    this.logDir = logDir;
    Path dir = stateDir.resolve("fingerprints");
    this.journal = new FingerprintJournal(dir.resolve("records"), others);
    this.hashes = new ContentHashes(dir.resolve("hashes"));
  }

  /**
   * Why the task's outputs are out of date; empty when they are not. {@code latest}: what other
   * runs recorded since this one started counts too (asked with the task's lock held, once
   * another run may have built it meanwhile).
   */
  List<String> check(Task task, TaskId id, List<? extends Task> requires, boolean latest) {
    String key = key(task);
    if (latest) {
      journal.readAppended();
    }
    int recorded = journal.entry(key);
    if (recorded < 0 && recorded != FingerprintJournal.APPENDED) {
      return List.of("no fingerprint recorded for its outputs (built before, or under another policy)");
    }
    StringBuilder body = new StringBuilder(128);
    Map<String, String> code = appendBuiltFrom(body, task, id, requires);
    Map<String, String> inputs = inputs(requires, null);
    // Nothing changed, the common case: one comparison of text, nothing decoded, no record made.
    if (journal.bodyIs(key, recorded, Fingerprint.appendInputs(body, inputs))) {
      return List.of();
    }
    Fingerprint now = new Fingerprint(id.family(), params(task, id),
        code != null ? code : code(task, id, requires, task.codeFiles(), task.codeVersions(settings)), inputs);
    Fingerprint before = journal.get(key);
    if (before == null) {
      return List.of("its fingerprint record is unreadable");
    }
    List<String> reasons = now.differencesFrom(before);
    return reasons.isEmpty() ? List.of("its fingerprint differs from the one recorded") : reasons;
  }

  /**
   * What the task would be built from now, as the journal line that records it (the outputs'
   * {@link #key}, a tab, the body of {@link Fingerprint#encodeBody()}, a newline), or null for a task without outputs: text, not a {@link
   * Fingerprint}, since it is only ever written, once the outputs are committed.
   *
   * @param kept by requirement, the hash of its one output as this run committed it (see {@link
   *     #written}), or null where not known; taken instead of asking the cache by path, unless a
   *     committed file was committed again since
   */
  String current(Task task, TaskId id, List<? extends Task> requires, String[] kept) {
    List<? extends Target> outputs = task.outputs();
    if (outputs.isEmpty()) {
      return null;
    }
    String key = key(outputs);
    StringBuilder line = new StringBuilder(key.length() + 128).append(Fingerprint.escape(key)).append('\t');
    appendBuiltFrom(line, task, id, requires);
    if (!appendKeptInputs(line, requires, kept)) {
      Fingerprint.appendInputs(line, inputs(requires, kept != null && hashes.writtenHashesStand() ? kept : null));
    }
    return line.append('\n').toString();
  }

  /**
   * Appends the family, parameters and code parts of a line (see {@link Fingerprint#encodeBody()}),
   * each followed by a tab, without maps for the common task: significant parameters only, its
   * class for its code. Returns the code by name when it was made, else null.
   */
  private Map<String, String> appendBuiltFrom(StringBuilder line, Task task, TaskId id, List<? extends Task> requires) {
    line.append(Fingerprint.escape(id.family())).append('\t');
    Map<String, String> builtWith = task.builtWith();
    if (builtWith.isEmpty()) {
      boolean first = true;
      for (Map.Entry<String, Object> param : id.params().entrySet()) {
        Fingerprint.appendPair(line, first, param.getKey(), text(param.getValue()), false);
        first = false;
      }
    } else {
      Fingerprint.pairs(line, params(task, id), false);
    }
    line.append('\t');
    List<Path> files = task.codeFiles();
    Map<String, String> versions = task.codeVersions(settings);
    Map<String, String> code = null;
    if (files.isEmpty() && versions.isEmpty() && !(task instanceof ProgramTask)) {
      line.append(CLASS_CODE.get(task.getClass()));
    } else {
      code = code(task, id, requires, files, versions);
      Fingerprint.pairs(line, code, true);
    }
    line.append('\t');
    return code;
  }

  /**
   * Appends the hashes of a task's few inputs, each requirement's kept hash where there is one
   * (no path made, no cache asked), the cache's answer for the others; false, with the line as it
   * was, when they are too many to list or the kept hashes may no longer stand.
   */
  private boolean appendKeptInputs(StringBuilder line, List<? extends Task> requires, String[] kept) {
    if (kept == null || requires.size() > LISTED_INPUTS || !hashes.writtenHashesStand()) {
      return false;
    }
    int mark = line.length();
    int count = 0;
    for (int i = 0; i < requires.size(); i++) {
      if (kept[i] != null) {
        Fingerprint.appendInputHash(line, count++ == 0, kept[i]);
        continue;
      }
      for (Target input : requires.get(i).outputs()) {
        if (input instanceof LocalTarget local) {
          Fingerprint.appendInputHash(line, count++ == 0, hashes.hash(local.path()));
        }
      }
    }
    if (count > LISTED_INPUTS) {
      line.setLength(mark);
      return false;
    }
    return true;
  }

  private static Map<String, String> params(Task task, TaskId id) {
    Map<String, String> params = new LinkedHashMap<>();
    id.params().forEach((name, value) -> params.put(name, text(value)));
    params.putAll(task.builtWith());
    return params;
  }

  private Map<String, String> code(Task task, TaskId id, List<? extends Task> requires, List<Path> files,
      Map<String, String> versions) {
    Map<String, String> code = new LinkedHashMap<>();
    code.put(CLASS_NAME.get(task.getClass()), CLASS_VERSION.get(task.getClass()));
    for (Path file : files) {
      code.put(file.toString(), hashes.hash(file));
    }
    code.putAll(versions);
    if (task instanceof ProgramTask program) {
      code.put(Fingerprint.COMMAND, CommandPreview.digest(program, id, requires, settings, logDir));
      code.put("environment", environmentDigest(program.environment()));
    }
    return code;
  }

  /**
   * The hashes of the task's input files, by path, or one digest of them all past {@link
   * #LISTED_INPUTS}. {@code kept}: by requirement, the hash of its one output as this run committed
   * it, or null where not known (see {@link #current}); null when none may be taken.
   */
  private Map<String, String> inputs(List<? extends Task> requires, String[] kept) {
    List<Path> paths = new ArrayList<>();
    List<String> known = new ArrayList<>();
    boolean allKnown = true;
    for (int i = 0; i < requires.size(); i++) {
      List<? extends Target> outputs = requires.get(i).outputs();
      for (Target input : outputs) {
        if (input instanceof LocalTarget local) {
          paths.add(local.path());
          String hash = kept == null || outputs.size() != 1 ? null : kept[i];
          known.add(hash);
          allKnown &= hash != null;
        }
      }
    }
    String[] found = new String[paths.size()];
    if (allKnown) {
      // Every requirement committed its one file in this run with a known hash, as a cold run's
      // wide fan-in does: no path made absolute, no cache asked, a hundred thousand times.
      known.toArray(found);
    } else if (found.length >= PARALLEL_INPUTS) {
      // One file status each adds up for a task reading 100,000 files: check them on every core.
      IntStream.range(0, found.length).parallel()
          .forEach(i -> found[i] = known.get(i) != null ? known.get(i) : hashes.hash(paths.get(i)));
    } else {
      for (int i = 0; i < found.length; i++) {
        found[i] = known.get(i) != null ? known.get(i) : hashes.hash(paths.get(i));
      }
    }
    Map<String, String> inputs = new LinkedHashMap<>(found.length > LISTED_INPUTS ? 2 : found.length * 2);
    if (found.length > LISTED_INPUTS) {
      MessageDigest digest = ContentHashes.sha1();
      // In blocks of many lines: one small array per input cost more than the digest itself.
      StringBuilder block = new StringBuilder(1 << 16);
      for (int i = 0; i < found.length; i++) {
        block.append(paths.get(i)).append('\t').append(found[i]).append('\n');
        if (block.length() > 60_000 || i == found.length - 1) {
          digest.update(block.toString().getBytes(StandardCharsets.UTF_8));
          block.setLength(0);
        }
      }
      inputs.put(Fingerprint.MANY_INPUTS + found.length + " files",
          HexFormat.of().formatHex(digest.digest()).substring(0, 16));
      return inputs;
    }
    for (int i = 0; i < found.length; i++) {
      inputs.put(paths.get(i).toString(), found[i]);
    }
    return inputs;
  }

  /**
   * The outputs just committed, with what was written to them when known: their hashes then go
   * to the cache (see {@link ContentHashes#written}); the others are looked at again when asked for.
   * Returns the hashes, in the order of {@code contents}, when that of every one is known, else null.
   */
  String[] written(Map<Path, WrittenContent> contents) {
    String[] known = new String[contents.size()];
    boolean allKnown = true;
    int i = 0;
    for (Map.Entry<Path, WrittenContent> output : contents.entrySet()) {
      String id = output.getValue() == null ? null : output.getValue().blobId(hashes);
      if (id != null) {
        allKnown &= hashes.written(output.getKey(), id);
      } else {
        hashes.replaced(output.getKey());
        allKnown = false;
      }
      known[i++] = id;
    }
    return allKnown ? known : null;
  }

  /**
   * Records what a task's outputs, just committed, were built from: a line {@link #current} gave.
   * {@code written}: the outputs, when the hash of each is known from what was written (see {@link
   * #written}), else null; the line may then wait to be written with others.
   */
  void record(String line, Collection<Path> written) throws IOException {
    journal.append(line, written == null ? null : () -> {
      for (Path output : written) {
        if (!hashes.stillAsWritten(output)) {
          return false;
        }
      }
      return true;
    });
  }

  /** The outputs' paths: the record belongs to them, so a changed parameter finds what they were built with. */
  static String key(Task task) {
    return key(task.outputs());
  }

  private static String key(List<? extends Target> outputs) {
    if (outputs.size() == 1) {
      return outputs.get(0).toString();
    }
    StringBuilder key = new StringBuilder();
    for (Target output : outputs) {
      key.append(key.length() == 0 ? "" : "\n").append(output);
    }
    return key.toString();
  }

  private static String text(Object value) {
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>(list.size());
      list.forEach(item -> items.add(text(item)));
      return "[" + String.join(",", items) + "]";
    }
    return String.valueOf(value);
  }

  /** The names and a digest of the values: a secret in the environment is not written out. */
  private static String environmentDigest(Map<String, String> environment) {
    MessageDigest digest = ContentHashes.sha1();
    StringBuilder names = new StringBuilder();
    new TreeMap<>(environment).forEach((name, value) -> {
      names.append(names.length() == 0 ? "" : ",").append(name);
      digest.update((name + "=" + value + "\n").getBytes(StandardCharsets.UTF_8));
    });
    return names + ":" + HexFormat.of().formatHex(digest.digest()).substring(0, 12);
  }

  @Override
  public void close() {
    journal.close();
    hashes.close();
  }
}
