package io.sluice.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hidden temporary files outputs are written to: {@code .NAME.sluice-PID-HOST-RANDOM.tmp}
 * beside the output. They are created exclusively and never through a symbolic link, with a part
 * nobody can guess, so that whoever can write the directory cannot make a task write elsewhere;
 * the PID and host stay readable so that a later run can remove the leftovers of a dead process.
 */
public final class TempFiles {

  /** The longest file name Linux, macOS and Windows file systems accept, in bytes (UTF-8). */
  static final int MAX_NAME_BYTES = 255;

  private static final RandomParts RANDOM = new RandomParts(new SecureRandom());
  private static final long PID = ProcessHandle.current().pid();
  private static final String HOST = hostTag();
  private static final int ATTEMPTS = 16;
  // Files.newOutputStream would build this set again for every file.
  private static final Set<OpenOption> CREATE =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  // New names carry the host; names of older versions (".X.sluice-PID-N.tmp") do not.
  private static final Pattern NAME =
      Pattern.compile("\\..*\\.sluice-(\\d{1,18})-(?:([0-9a-f]{8})-[0-9a-f]{16}|\\d+)\\.tmp", Pattern.DOTALL);

  private TempFiles() {}

  /** A new empty temporary file for {@code target}, created exclusively, with its open stream. */
  static Created create(Path target) throws IOException {
    return create(target, RANDOM);
  }

  /** As {@link #create(Path)}, with the randomness given (tests predict the names). */
  static Created create(Path target, Random random) throws IOException {
    return create(target, random::nextLong);
  }

  private static Created create(Path target, LongSupplier random) throws IOException {
    FileAlreadyExistsException last = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      Path temp = reserve(target, random);
      try {
        return new Created(temp, createAt(temp));
      } catch (FileAlreadyExistsException e) {
        last = e;  // planted or a one-in-2^64 collision: another random name
      }
    }
    throw new IOException("cannot create a temporary file for " + target + ": " + ATTEMPTS
        + " random names were all taken, as if something planted files in " + target.getParent(), last);
  }

  /** The temporary file {@code temp} (a name {@link #reserve} gave) created, exclusively, with its open stream. */
  static OutputStream createAt(Path temp) throws IOException {
    return Channels.newOutputStream(FileChannel.open(temp, CREATE));
  }

  /** A fresh temporary name for {@code target}, not created: for a program that creates the file itself. */
  static Path reserve(Path target) {
    return reserve(target, RANDOM);
  }

  static Path reserve(Path target, Random random) {
    return reserve(target, (LongSupplier) random::nextLong);
  }

  private static Path reserve(Path target, LongSupplier random) {
    Path absolute = target.toAbsolutePath();
    return absolute.resolveSibling(name(absolute.getFileName().toString(), PID, HOST, random.getAsLong()));
  }

  /**
   * The temporary name: the target's name, cut (at a character boundary) so that the whole name
   * stays within {@value #MAX_NAME_BYTES} bytes whatever the target's name.
   */
  static String name(String targetName, long pid, String host, long random) {
    String suffix = ".sluice-" + pid + "-" + host + "-" + HexFormat.of().toHexDigits(random) + ".tmp";
    int budget = MAX_NAME_BYTES - 1 - suffix.length();
    return "." + truncateUtf8(targetName, budget) + suffix;
  }

  /** The longest prefix of {@code text} whose UTF-8 encoding fits {@code maxBytes}, never half a character. */
  public static String truncateUtf8(String text, int maxBytes) {
    if (text.length() * 3L <= maxBytes) {
      return text;  // a UTF-16 char never takes more than 3 bytes in UTF-8
    }
    int bytes = 0;
    int end = 0;
    while (end < text.length()) {
      int codePoint = text.codePointAt(end);
      int length = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + length > maxBytes) {
        break;
      }
      bytes += length;
      end += Character.charCount(codePoint);
    }
    return text.substring(0, end);
  }

  /**
   * Deletes the temporary files in {@code dir} left by processes of this host that are dead
   * (killed, crashed) and returns how many. Files of live processes, of other hosts sharing the
   * directory (whose PIDs mean nothing here) and anything that is not a temporary file stay.
   */
  static int removeLeftovers(Path dir) {
    try {
      // Names only, as strings: a directory of a hundred thousand outputs is listed before the
      // first write to it, and a Path (and a glob match) per entry cost more than the listing.
      String[] names = dir.getFileSystem() == FileSystems.getDefault() ? dir.toFile().list() : listNames(dir);
      if (names == null) {
        return 0;  // not a directory, or unreadable: nothing to sweep
      }
      return removeLeftovers(dir, names);
    } catch (IOException | RuntimeException ignored) {
      return 0;  // best effort: a leftover is hidden and never read as output; the next run tries again
    }
  }

  /** As {@link #removeLeftovers(Path)}, among {@code names}, a listing of {@code dir}. */
  static int removeLeftovers(Path dir, String[] names) {
    int removed = 0;
    try {
      for (String name : names) {
        if (mayBeTemp(name) && isDeadLeftover(name) && removeFileOrLink(dir.resolve(name))) {
          removed++;
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // best effort: a leftover is hidden and never read as output; the next run tries again
    }
    return removed;
  }

  private static String[] listNames(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    }
    return names.toArray(String[]::new);
  }

  /** A cheap test every temporary name passes, so that the pattern only sees likely ones. */
  private static boolean mayBeTemp(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(".tmp") && fileName.contains(".sluice-");
  }

  static boolean isDeadLeftover(String fileName) {
    Matcher matcher = NAME.matcher(fileName);
    if (!matcher.matches()) {
      return false;
    }
    String host = matcher.group(2);
    if (host != null && !host.equals(HOST)) {
      return false;
    }
    long pid = Long.parseLong(matcher.group(1));
    return pid != PID && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static boolean removeFileOrLink(Path entry) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isDirectory()) {
      return false;
    }
    return Files.deleteIfExists(entry);  // deletes a link itself, never what it points to
  }

  /**
   * A short tag of this host's name. PIDs are per host (per container, with PID namespaces),
   * so a directory shared by several hosts must not lose the files of a live process elsewhere.
   */
  private static String hostTag() {
    String host = null;
    try {
      host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException | RuntimeException e) {
      host = System.getenv("HOSTNAME");
    }
    if (host == null || host.isEmpty()) {
      host = "localhost";
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(host.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  static long pid() {
    return PID;
  }

  static String host() {
    return HOST;
  }

  /**
   * The random parts of the names: the keystream of ChaCha20 under a key and nonce drawn from
   * {@link SecureRandom} (a fresh pair every {@value #BATCHES_PER_KEY} batches), cut in 64-bit
   * pieces. That is how the operating system's own generator stretches its seed; drawing every
   * name from {@code SecureRandom} instead cost 3 µs a name (its SHA-1 mixing, compiled by C1
   * only in {@code sluice run}), more than the write itself on tmpfs.
   */
  private static final class RandomParts implements LongSupplier {
    private static final int BATCH_BYTES = 64 * Long.BYTES;
    private static final int BATCHES_PER_KEY = 1 << 20;

    private final SecureRandom seeds;
    private final byte[] zeros = new byte[BATCH_BYTES];
    private final ByteBuffer batch = ByteBuffer.allocate(BATCH_BYTES);
    private Cipher stream;
    private int batches;

    RandomParts(SecureRandom seeds) {
      this.seeds = seeds;
      batch.position(batch.limit());
    }

    @Override
    public synchronized long getAsLong() {
      if (!batch.hasRemaining()) {
        refill();
      }
      return batch.getLong();
    }

    private void refill() {
      if (stream == null || batches == BATCHES_PER_KEY) {
        stream = newStream();
        batches = 0;
      }
      try {
        stream.update(zeros, 0, zeros.length, batch.array(), 0);
      } catch (ShortBufferException e) {
        throw new IllegalStateException("the batch holds exactly one update", e);
      }
      batches++;
      batch.clear();
    }

    private Cipher newStream() {
      byte[] key = new byte[32];
      byte[] nonce = new byte[12];
      seeds.nextBytes(key);
      seeds.nextBytes(nonce);
      try {
        Cipher cipher = Cipher.getInstance("ChaCha20");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, 0));
        return cipher;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("ChaCha20 is part of every JDK since 11", e);
      }
    }
  }

  /** A temporary file just created, and its stream. */
  record Created(Path path, OutputStream out) {}
}
