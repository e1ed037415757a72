package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sluice.history.HistoryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's request threads run nicer than the pipelines; the thread that started it does not. */
class RequestThreadsTest {

  /** The request threads' name as the system keeps it: its first 15 characters. */
  private static final String REQUEST_THREADS = RequestThreads.THREAD_NAME.substring(0, 15);

  @TempDir
  Path dir;

  @Test
  void requestThreadsAndCompilersRunNicerThanTheThreadThatStartedTheServer() throws Exception {
    String self = RequestThreads.ownId();
    assumeThat(self).as("a system with /proc/thread-self (Linux)").isNotEmpty();
    int before = RequestThreads.niceness(self).orElseThrow();
    assumeThat(before).as("a niceness that can still rise").isLessThan(19 - 3);
    try (SluiceServer server = SluiceServer.start(HistoryConfig.sqlite(dir), "127.0.0.1", 0,
        ServerOptions.defaults().withNiceness(3))) {
      HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.url()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      Map<String, Integer> requestThreads = waitUntilAll(REQUEST_THREADS, before + 3);
      assertThat(requestThreads).as("the request threads' niceness by thread id").isNotEmpty()
          .allSatisfy((id, nice) -> assertThat(nice).isEqualTo(before + 3));
      // At least as nice: the JVM's compiler threads outlive a server, and one an earlier server of
      // this JVM made nicer (10 by default) stays so, since a niceness is only ever raised.
      assertThat(waitUntilAtLeast("C1 CompilerThre", before + 3)).as("the C1 compiler threads' niceness")
          .allSatisfy((id, nice) -> assertThat(nice).isGreaterThanOrEqualTo(before + 3));
      assertThat(RequestThreads.niceness(self)).as("the starting thread's niceness").hasValue(before);
    }
  }

  @Test
  void aNicenessOfZeroLeavesEveryThreadAsItWas() throws Exception {
    String self = RequestThreads.ownId();
    assumeThat(self).as("a system with /proc/thread-self (Linux)").isNotEmpty();
    int before = RequestThreads.niceness(self).orElseThrow();
    try (SluiceServer server = SluiceServer.start(HistoryConfig.sqlite(dir), "127.0.0.1", 0,
        ServerOptions.defaults().withNiceness(0))) {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.url()).build(), HttpResponse.BodyHandlers.discarding());
      assertThat(threads(REQUEST_THREADS)).isNotEmpty().allSatisfy((id, nice) -> assertThat(nice).isEqualTo(before));
    }
  }

  @Test
  void aThreadLowersItselfAloneAndNeverPastTheNicest() throws Exception {
    String self = RequestThreads.ownId();
    assumeThat(self).as("a system with /proc/thread-self (Linux)").isNotEmpty();
    int before = RequestThreads.niceness(self).orElseThrow();
    assumeThat(before).as("a niceness that can still rise").isLessThan(19 - 2);
    int[] seen = new int[2];
    Thread lowered = new Thread(() -> {
      RequestThreads.lowerCallingThread(2);
      seen[0] = RequestThreads.niceness(RequestThreads.ownId()).orElse(-100);
      RequestThreads.lowerCallingThread(19);
      seen[1] = RequestThreads.niceness(RequestThreads.ownId()).orElse(-100);
    });
    lowered.start();
    lowered.join(10_000);
    assertThat(seen).as("the thread's niceness after +2, then after +19").containsExactly(before + 2, 19);
    assertThat(RequestThreads.niceness(self)).as("the starting thread's niceness").hasValue(before);
    assertThatThrownBy(() -> RequestThreads.lowerCallingThread(20))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Niceness 20 is not from 0 to 19");
  }

  @Test
  void aNicenessOutOfRangeIsRefusedNamingIt() {
    assertThatThrownBy(() -> ServerOptions.defaults().withNiceness(20))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Niceness 20 is not from 0 to 19");
    assertThatThrownBy(() -> ServerOptions.defaults().withNiceness(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Niceness -1 is not from 0 to 19");
  }

  /** The threads whose name starts with {@code prefix}, once all have {@code nice} or after 10 s. */
  private static Map<String, Integer> waitUntilAll(String prefix, int nice) throws Exception {
    return waitUntil(prefix, n -> n == nice);
  }

  /** The threads whose name starts with {@code prefix}, once all are at least {@code nice} or after 10 s. */
  private static Map<String, Integer> waitUntilAtLeast(String prefix, int nice) throws Exception {
    return waitUntil(prefix, n -> n >= nice);
  }

  private static Map<String, Integer> waitUntil(String prefix, java.util.function.IntPredicate reached) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    Map<String, Integer> found = threads(prefix);
    while (System.nanoTime() < deadline && (found.isEmpty() || found.values().stream().anyMatch(n -> !reached.test(n)))) {
      Thread.sleep(20);
      found = threads(prefix);
    }
    return found;
  }

  private static Map<String, Integer> threads(String prefix) throws IOException {
    Map<String, Integer> found = new LinkedHashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          if (Files.readString(task.resolve("comm")).startsWith(prefix)) {
            OptionalInt nice = RequestThreads.niceness(task.getFileName().toString());
            nice.ifPresent(n -> found.put(task.getFileName().toString(), n));
          }
        } catch (IOException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return found;
  }
}
