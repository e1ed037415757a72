package io.sluice.server.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The server's access rules, as a function of a request's method and headers: the access token when
 * there is one, and for every request that changes something (a POST), a same-origin browser request
 * carrying the server's anti-forgery token in {@value #CSRF_HEADER}. A page of another site can make a
 * browser send a POST, but can neither read that token nor set that header.
 */
public final class RequestGuard {

  /** The header that carries the anti-forgery token. */
  public static final String CSRF_HEADER = "X-Sluice-Csrf";

  /** The cookie that carries the access token after a first visit with {@code ?token=}. */
  public static final String TOKEN_COOKIE = "sluice_token";

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  /** What the guard sees of a request. */
  public interface Request {
    String method();

    /** A header, or null. */
    String header(String name);

    /** A cookie, or null. */
    String cookie(String name);

    /** {@code http://HOST:PORT}, as the request addressed the server. */
    String origin();
  }

  /** A refused request: the HTTP status and what to do. */
  public record Refusal(int status, String message) {}

  private final AccessToken token;
  private final String csrfToken;

  private RequestGuard(AccessToken token, String csrfToken) {
    this.token = token;
    this.csrfToken = csrfToken;
  }

  /** A guard with a fresh random anti-forgery token, and the access token if any. */
  public static RequestGuard create(Optional<AccessToken> token, SecureRandom random) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return new RequestGuard(token.orElse(null), HexFormat.of().formatHex(bytes));
  }

  /**
   * Refuses to serve a non-loopback address without an access token.
   *
   * @throws IllegalArgumentException when {@code bind} is not loopback and there is no token, or is no address
   */
  public static void checkBind(String bind, Optional<AccessToken> token) {
    try {
      if (!InetAddress.getByName(bind).isLoopbackAddress() && token.isEmpty()) {
        throw new IllegalArgumentException("Bind address '" + bind + "' is not a loopback address, so other machines"
            + " could reach the server: give it an access token first, in " + AccessToken.VARIABLE
            + " or with --token-file FILE (at least " + AccessToken.MIN_LENGTH + " characters; openssl rand -hex 32"
            + " makes one), or bind 127.0.0.1 (the default) and reach it through an SSH tunnel"
            + " (ssh -L 8082:127.0.0.1:8082 HOST)");
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Bind address '" + bind + "' is not a known host or IP address", e);
    }
  }

  /** The anti-forgery token the pages send back in {@value #CSRF_HEADER}. */
  public String csrfToken() {
    return csrfToken;
  }

  /** Whether requests need the access token. */
  public boolean needsToken() {
    return token != null;
  }

  /** Whether {@code given} is the access token (always false without one). */
  public boolean isToken(String given) {
    return token != null && token.matches(given);
  }

  /** Why the request is refused, or empty when it may go on. */
  public Optional<Refusal> check(Request request) {
    if (token != null && !hasToken(request)) {
      return Optional.of(new Refusal(401, "This server needs its access token: send the header"
          + " 'Authorization: Bearer TOKEN', or open any page once with ?token=TOKEN in the browser"));
    }
    if (SAFE_METHODS.contains(request.method())) {
      return Optional.empty();
    }
    String site = request.header("Sec-Fetch-Site");
    String origin = request.header("Origin");
    boolean sameOrigin = site != null ? site.equals("same-origin") : origin != null && origin.equals(request.origin());
    if (!sameOrigin) {
      return Optional.of(new Refusal(403, "Refused a " + request.method() + " from another site (Sec-Fetch-Site: "
          + site + ", Origin: " + origin + "): actions are taken from this server's own pages only"));
    }
    String csrf = request.header(CSRF_HEADER);
    if (csrf == null || !java.security.MessageDigest.isEqual(csrf.getBytes(), csrfToken.getBytes())) {
      return Optional.of(new Refusal(403, "Refused a " + request.method() + " without this server's " + CSRF_HEADER
          + " header (GET /api/session gives it to the pages); reload the page and try again"));
    }
    return Optional.empty();
  }

  private boolean hasToken(Request request) {
    String authorization = request.header("Authorization");
    if (authorization != null && authorization.startsWith("Bearer ") && token.matches(authorization.substring(7)
        .trim())) {
      return true;
    }
    return token.matches(request.cookie(TOKEN_COOKIE));
  }
}
