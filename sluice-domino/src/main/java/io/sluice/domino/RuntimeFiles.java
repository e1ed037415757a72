package io.sluice.domino;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the Sluice runtime a Java command needs (jars, class directories, {@code dir/*}) goes in
 * a Domino commit: {@code .sluice-runtime/<digest of its local path>/...}, with the classpath, in
 * order and relative to the project root, in {@code .sluice-runtime/classpath}. Runs of that
 * commit (and drivers inside them) read the manifest, not their machine's paths.
 *
 * @param classpath the remote classpath entries
 * @param files remote path to local file
 */
record RuntimeFiles(List<String> classpath, Map<String, Path> files) {

  static final String DIR = ".sluice-runtime";
  static final String MANIFEST = DIR + "/classpath";

  static RuntimeFiles of(List<Path> runtime) throws IOException {
    List<String> classpath = new ArrayList<>();
    Map<String, Path> files = new LinkedHashMap<>();
    for (Path entry : runtime) {
      Path path = entry.toAbsolutePath().normalize();
      Path name = path.getFileName();
      if (name != null && name.toString().equals("*")) {
        Path dir = path.getParent();
        String remote = DIR + "/" + Hashes.sha1(dir.toString()).substring(0, 12);
        if (Files.isDirectory(dir)) {
          try (Stream<Path> jars = Files.list(dir)) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar") && Files.isRegularFile(j)).sorted().toList()) {
              files.put(remote + "/" + jar.getFileName(), jar);
            }
          }
        }
        classpath.add(remote + "/*");
      } else if (Files.isRegularFile(path)) {
        String remote = DIR + "/" + Hashes.sha1(path.toString()).substring(0, 12) + "/" + name;
        files.put(remote, path);
        classpath.add(remote);
      } else if (Files.isDirectory(path)) {
        String remote = DIR + "/" + Hashes.sha1(path.toString()).substring(0, 12) + "/classes";
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path file : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
            files.put(remote + "/" + path.relativize(file).toString().replace('\\', '/'), file);
          }
        }
        classpath.add(remote);
      }
    }
    return new RuntimeFiles(classpath, files);
  }

  /** The manifest's content: one classpath entry a line. */
  byte[] manifest() {
    return (String.join("\n", classpath) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static List<String> parseManifest(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }
}
