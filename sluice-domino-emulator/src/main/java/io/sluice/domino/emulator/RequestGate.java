package io.sluice.domino.emulator;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every API request passes before its endpoint, in the order a real deployment would apply
 * it: injected delay, injected gateway errors (answered before any key check, as a load balancer
 * does), the API key (401), injected conflicts (409). The emulator's own paths pass freely. It
 * counts the requests by method and path, so that tests can tell how often a client asks.
 */
final class RequestGate {

  private final String apiKey;
  private final Faults faults;
  private final Sleeper sleeper;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  /** How the gate waits out an injected delay. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  RequestGate(String apiKey, Faults faults, Sleeper sleeper) {
    this.apiKey = apiKey;
    this.faults = faults;
    this.sleeper = sleeper;
  }

  Faults faults() {
    return faults;
  }

  void check(Context ctx) throws InterruptedException {
    String path = ctx.path();
    if (!path.startsWith("/v1/") && !path.startsWith("/v4/")) {
      return;
    }
    counts.computeIfAbsent(ctx.method() + " " + path, key -> new LongAdder()).increment();
    Duration delay = faults.currentDelay();
    if (!delay.isZero()) {
      sleeper.sleep(delay);
    }
    OptionalInt failure = faults.takeFailure();
    if (failure.isPresent()) {
      throw new ApiException(failure.getAsInt(), "Emulated fault: this request answers " + failure.getAsInt());
    }
    if (!authorized(ctx)) {
      throw new ApiException(401, "Missing or wrong API key: send it in the X-Domino-Api-Key header or as "
          + "'Authorization: Bearer KEY' (the emulator's key is the one its ready line names)");
    }
    if (faults.takeConflict()) {
      throw new ApiException(409, "Emulated fault: conflict");
    }
  }

  /** How many API requests came for {@code method} and {@code path} (those answered by a fault included). */
  long count(String method, String path) {
    LongAdder count = counts.get(method + " " + path);
    return count == null ? 0 : count.sum();
  }

  private boolean authorized(Context ctx) {
    String key = ctx.header("X-Domino-Api-Key");
    if (key != null) {
      return key.equals(apiKey);
    }
    String authorization = ctx.header("Authorization");
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && authorization.substring(7).trim().equals(apiKey);
  }
}
