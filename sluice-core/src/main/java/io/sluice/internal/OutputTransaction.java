package io.sluice.internal;

import io.sluice.LocalTarget;
import io.sluice.OutputWrites;
import io.sluice.Target;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outputs one task attempt is writing: each goes to a hidden temporary sibling file, and
 * {@link #commit()} renames them all into place only when every declared output was written and
 * closed; {@link #abort()} deletes them. It belongs to the attempt, not to a thread: the engine
 * registers it in {@link RunningOutputs} under its declared paths, so a write through a
 * {@link LocalTarget} of one of them from any thread joins it. Once committed or aborted it
 * refuses every further write, close and commit.
 */
public final class OutputTransaction implements OutputWrites {

  private enum State { OPEN, COMMITTED, ABORTED }

  // Made a string only for an error message: a task's id is costly to print.
  private final Object owner;
  private final Set<Path> declared;
  private final boolean fsync;
  private final Leftovers leftovers;
  private final boolean commitOnClose;
  private final boolean everyOutputDeclared;
  /** The latest temporary file of each target, which the commit renames into place. */
  // Sized for the usual one output: one of each per task attempt, grown only for more.
  private final Map<Path, Written> latest = new LinkedHashMap<>(2);
  private final List<TempOutputStream> streams = new ArrayList<>(1);
  private final List<Path> temps = new ArrayList<>(1);
  // By temporary file: what streams wrote, when the fingerprint policy wants their hashes (see captureContent).
  private Map<Path, WrittenContent> contents;
  /** Temporary files made before the attempt started, by target (see offer); null when none. */
  private Map<Path, TempFiles.Created> offered;
  private volatile State state = State.OPEN;

  private OutputTransaction(Object owner, Set<Path> declared, boolean fsync, Leftovers leftovers,
      boolean commitOnClose, boolean everyOutputDeclared) {
    this.everyOutputDeclared = everyOutputDeclared;
    this.owner = owner;
    this.declared = declared;
    this.fsync = fsync;
    this.leftovers = leftovers;
    this.commitOnClose = commitOnClose;
  }

  /**
   * The transaction of one attempt of a task: {@code owner} names it in errors (its
   * {@code toString()}, called only then), its declared outputs are the {@link LocalTarget}s among
   * {@code outputs}.
   */
  public static OutputTransaction forTask(Object owner, List<? extends Target> outputs, boolean fsync,
      Leftovers leftovers) {
    Set<Path> declared = declaredPaths(outputs);
    return new OutputTransaction(owner, declared, fsync, leftovers, false, declared.size() == outputs.size());
  }

  private static Set<Path> declaredPaths(List<? extends Target> outputs) {
    if (outputs.size() == 1) {
      // The common case, one output: no intermediate set.
      return outputs.get(0) instanceof LocalTarget local ? Set.of(key(local.path())) : Set.of();
    }
    Set<Path> paths = new LinkedHashSet<>();
    for (Target output : outputs) {
      if (output instanceof LocalTarget local) {
        paths.add(key(local.path()));
      }
    }
    return Set.copyOf(paths);
  }

  /**
   * A stream to {@code target}: part of the transaction of the running attempt that declared it
   * as an output, whatever the thread; otherwise a standalone write, renamed into place when the
   * stream is closed unless a write through it failed or it was {@linkplain TempOutputStream#discard() discarded}.
   */
  public static TempOutputStream openStream(Path target) throws IOException {
    Path key = key(target);
    OutputTransaction running = RunningOutputs.writerOf(key);
    if (running != null) {
      return running.openKey(key);
    }
    OutputTransaction own = new OutputTransaction("the write of " + target, Set.of(key), false, Leftovers.none(), true,
        true);
    return own.openKey(key);
  }

  /**
   * Empty temporary files for the task's declared local outputs, made before it starts (by a
   * worker with nothing to run, see {@link Ahead}), in the directories that exist already; no
   * directory is made ahead. Made as {@link #open(Path)} makes them; a task that writes through
   * a program ({@link io.sluice.ProgramTask}: {@code writePath}) gets none, it would not use them.
   *
   * @return the files made, by output (absolute, normalized); to {@link #offer} or {@link #discardOffered}
   */
  static Map<Path, TempFiles.Created> prepare(io.sluice.Task task) {
    if (task instanceof io.sluice.ProgramTask) {
      return new java.util.HashMap<>(1);
    }
    Map<Path, TempFiles.Created> made = new java.util.HashMap<>(2);
    try {
      for (Target output : task.outputs()) {
        if (output instanceof LocalTarget local) {
          Path key = key(local.path());
          if (!made.containsKey(key)) {
            made.put(key, TempFiles.create(key));
          }
        }
      }
    } catch (Throwable e) {
      // A directory still to be made, or outputs() failing: the task makes its files itself, and
      // reports what fails when it does.
    }
    return made;
  }

  /**
   * Hands this transaction temporary files made by {@link #prepare} (it owns them from now on:
   * {@code made} is emptied). A stream opened for one of those targets writes to the file made
   * ahead, if it is still there, instead of creating one; the files no stream took are deleted
   * when the transaction ends.
   */
  synchronized void offer(Map<Path, TempFiles.Created> made) {
    if (!made.isEmpty()) {
      offered = new java.util.HashMap<>(made);
      made.clear();
    }
  }

  /** Deletes temporary files made ahead that nobody took over, and empties {@code made}. */
  static void discardOffered(Map<Path, TempFiles.Created> made) {
    if (made == null || made.isEmpty()) {
      return;
    }
    made.values().forEach(OutputTransaction::discard);
    made.clear();
  }

  private static void discard(TempFiles.Created created) {
    try {
      created.out().close();
    } catch (IOException | RuntimeException ignored) {
      // being deleted
    }
    deleteQuietly(created.path());
  }

  /** The temporary path for a program to write {@code target}; only while an attempt declaring it runs. */
  public static Path writePathOf(Path target) throws IOException {
    OutputTransaction running = RunningOutputs.writerOf(key(target));
    if (running == null) {
      throw new IllegalStateException("writePath() of " + target + " is only available while a task runs"
          + " that declares it as an output; outside a task, write it with write(...) or openOutputStream()");
    }
    return running.writePath(target);
  }

  /** The absolute, normalized form of a path: how outputs are matched to running attempts. */
  static Path key(Path path) {
    return path.toAbsolutePath().normalize();
  }

  /** Whether every output of the task is a file of this transaction (none is another kind of target). */
  boolean declaresEveryOutput() {
    return everyOutputDeclared;
  }

  Object owner() {
    return owner;
  }

  Set<Path> declared() {
    return declared;
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  boolean isAborted() {
    return state == State.ABORTED;
  }

  @Override
  public boolean durable() {
    return fsync;
  }

  @Override
  public OutputStream open(LocalTarget target) throws IOException {
    return open(target.path());
  }

  @Override
  public Path writePath(LocalTarget target) throws IOException {
    return writePath(target.path());
  }

  /** Keeps what streams opened from now on write, for {@link #committedContents()}. */
  synchronized void captureContent() {
    if (contents == null) {
      contents = new java.util.HashMap<>(2);
    }
  }

  /**
   * Every output put in place by the commit, with what was written to it when it went through a
   * stream whose content was kept (see {@link #captureContent()}), else null.
   */
  synchronized Map<Path, WrittenContent> committedContents() {
    if (state != State.COMMITTED) {
      return Map.of();
    }
    Map<Path, WrittenContent> written = new java.util.HashMap<>(2);
    latest.forEach((target, temp) -> written.put(target, contents == null ? null : contents.get(temp.temp())));
    return written;
  }

  /** A stream to a new temporary file standing for {@code target}; the latest one opened wins. */
  public TempOutputStream open(Path target) throws IOException {
    return openKey(key(target));
  }

  private synchronized TempOutputStream openKey(Path key) throws IOException {
    checkWritable(key);
    leftovers.sweep(key.getParent());
    TempFiles.Created created = offered == null ? null : offered.remove(key);
    MadeAheadStream ahead = null;
    java.io.OutputStream out;
    if (created != null) {
      out = ahead = new MadeAheadStream(created.path(), created.out());
    } else {
      created = createTemp(key);
      out = created.out();
    }
    temps.add(created.path());
    if (contents != null) {
      WrittenContent content = new WrittenContent(out);
      contents.put(created.path(), content);
      out = content;
    }
    TempOutputStream stream = new TempOutputStream(this, key, created.path(), out, ahead);
    streams.add(stream);
    latest.put(key, new Written(created.path(), stream));
    return stream;
  }

  /**
   * A temporary path standing for {@code target}, for a program that creates the file itself;
   * the same path each time it is asked (the task and the engine both ask for it).
   */
  public synchronized Path writePath(Path target) throws IOException {
    Path key = key(target);
    checkWritable(key);
    Written current = latest.get(key);
    if (current != null && current.stream() == null) {
      return current.temp();
    }
    prepareDirectory(key);
    Path temp = TempFiles.reserve(key);
    temps.add(temp);
    latest.put(key, new Written(temp, null));
    return temp;
  }

  /**
   * Creates the temporary file, and the directory first only when that failed for want of it:
   * a check of the directory before every write would cost a system call for the rare case.
   * Another process may create the directory between the failure and the retry, so the retry
   * never asks whether it exists: createDirectories accepts one that does.
   */
  private static TempFiles.Created createTemp(Path key) throws IOException {
    try {
      return TempFiles.create(key);
    } catch (NoSuchFileException e) {
      Files.createDirectories(key.getParent());
      return TempFiles.create(key);
    }
  }

  private void prepareDirectory(Path key) throws IOException {
    Path dir = key.getParent();
    // createDirectories on an existing directory costs a failing mkdir and an exception.
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
    }
    leftovers.sweep(dir);
  }

  /** Fails unless the transaction still accepts writes. */
  void checkWritable(Path target) throws IOException {
    State now = state;
    if (now == State.ABORTED) {
      throw new IOException(owner + " was aborted (failed, timed out or cancelled): the write to " + target
          + " is refused and nothing written for it is kept");
    }
    if (now == State.COMMITTED) {
      throw new IOException(owner + " has ended and its outputs were committed: the write to " + target
          + " came too late and is refused (finish writing before run() returns)");
    }
  }

  /** Called when a stream of this transaction is closed; {@code error} is what closing it threw. */
  void closed(TempOutputStream stream, IOException error) throws IOException {
    if (state == State.ABORTED) {
      deleteQuietly(stream.temp());
      IOException refused = new IOException(owner + " was aborted: " + stream.target() + " is not kept");
      if (error != null) {
        refused.addSuppressed(error);
      }
      throw refused;
    }
    if (error != null) {
      if (commitOnClose) {
        abort();
      }
      throw error;
    }
    if (!commitOnClose) {
      return;
    }
    if (stream.failed()) {
      abort();
      throw new IOException("not writing " + stream.target() + ": an earlier write to it failed");
    }
    try {
      commit();
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
  }

  /** Called when a stream is discarded: its target counts as not written. */
  synchronized void discarded(TempOutputStream stream) {
    Written current = latest.get(stream.target());
    if (current != null && current.stream() == stream) {
      latest.remove(stream.target());
    }
    deleteQuietly(stream.temp());
    if (commitOnClose) {
      abort();
    }
  }

  /**
   * Renames every written temporary file into place and returns the targets committed; first
   * checks that every declared output was written and every stream closed, and otherwise throws
   * without renaming anything.
   *
   * @throws IncompleteOutputsException naming each output missing, still open or failed
   */
  public synchronized List<Path> commit() throws IOException {
    if (state == State.ABORTED) {
      throw new IOException(owner + " was aborted: its outputs cannot be committed");
    }
    if (state == State.COMMITTED) {
      throw new IllegalStateException(owner + " was already committed");
    }
    List<String> problems = new ArrayList<>();
    for (Path target : declared) {
      Written written = latest.get(target);
      if (written == null) {
        problems.add("run() finished without writing its output " + target);
      } else if (written.stream() == null && !Files.isRegularFile(written.temp(), LinkOption.NOFOLLOW_LINKS)) {
        problems.add("run() finished without writing its output " + target + " (nothing was written at its"
            + " writePath() " + written.temp() + ")");
      }
    }
    for (TempOutputStream stream : streams) {
      if (!stream.isClosed()) {
        problems.add("run() finished with its output " + stream.target() + " still open: close every stream"
            + " and writer (try-with-resources) before run() returns; an unclosed writer may hold unwritten data");
      } else if (stream.failed() && latest.get(stream.target()) != null
          && latest.get(stream.target()).stream() == stream) {
        problems.add("a write to the output " + stream.target() + " failed");
      }
    }
    if (!problems.isEmpty()) {
      throw new IncompleteOutputsException(String.join("; ", problems));
    }
    List<Path> committed = new ArrayList<>();
    for (Map.Entry<Path, Written> entry : latest.entrySet()) {
      Path target = entry.getKey();
      Path temp = entry.getValue().temp();
      // A program's file is checked: it was created by someone else. A stream's was created here.
      if (entry.getValue().stream() == null) {
        if (!Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
          continue;  // an undeclared writePath() nobody wrote
        }
        if (!Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException("the temporary file " + temp + " of " + target + " is not a regular file (a link?);"
              + " refusing to put it in place");
        }
      }
      TempOutputStream stream = entry.getValue().stream();
      MadeAheadStream ahead = stream == null ? null : stream.madeAhead();
      try {
        putInPlace(temp, target, ahead != null && !stream.wroteAnything());
      } catch (NoSuchFileException e) {
        // Made ahead and not looked for since: the task wiped its directory. Made again, with
        // what the task wrote, and put in place as if it had been there all along.
        if (ahead == null || !ahead.makeAgain()) {
          throw e;
        }
        putInPlace(temp, target, false);
      }
      if (fsync) {
        syncDirectory(target.getParent());
      }
      committed.add(target);
    }
    state = State.COMMITTED;
    discardOffered(offered);
    if (temps.size() > latest.size()) {
      for (Path temp : temps) {
        deleteQuietly(temp);  // superseded by a later open of the same target; the committed ones are gone
      }
    }
    return committed;
  }

  /** Renames {@code temp} to {@code target}, forcing it first when durable; truncated first when {@code madeAheadEmpty}. */
  private void putInPlace(Path temp, Path target, boolean madeAheadEmpty) throws IOException {
    if (madeAheadEmpty) {
      // Made before the task started: an empty output would carry that time, maybe older than
      // its inputs, which the modification-time policy would then take for out of date.
      // Truncated on opening, as the file system stamps it by its own clock (a time set from
      // Java's could be ahead of the next write's stamp, and that output look older than it).
      Files.newOutputStream(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
          LinkOption.NOFOLLOW_LINKS).close();
    }
    if (fsync) {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        channel.force(true);
      }
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + temp + " to " + target + " atomically", e);
    }
  }

  /**
   * Deletes every temporary file and refuses all later writes, closes and commits: nothing
   * written through this transaction lands, even from a thread that goes on after the engine
   * gave up on it. Does nothing after a commit.
   */
  public void abort() {
    List<TempOutputStream> open;
    List<Path> delete;
    synchronized (this) {
      if (state == State.COMMITTED) {
        return;
      }
      state = State.ABORTED;
      open = List.copyOf(streams);
      delete = List.copyOf(temps);
      discardOffered(offered);
    }
    for (TempOutputStream stream : open) {
      stream.closeQuietly();
    }
    for (Path temp : delete) {
      deleteQuietly(temp);
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // best effort: a leftover is hidden, never read as output, and removed by a later run
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // some filesystems refuse to open directories; the file itself was synced
    }
  }

  /** A temporary file standing for a target, and its stream (null for a program's write path). */
  private record Written(Path temp, TempOutputStream stream) {}

  /** A task's run ended without writing (or closing) all its declared outputs. */
  public static final class IncompleteOutputsException extends IllegalStateException {
    IncompleteOutputsException(String message) {
      super(message);
    }
  }
}
