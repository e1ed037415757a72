package io.sluice.server.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The secret every request must show when the server is reachable from other machines: from
 * {@value #VARIABLE} or a file. Compared in constant time, so that timing tells nothing of it.
 */
public final class AccessToken {

  /** The variable that holds the token. */
  public static final String VARIABLE = "SLUICE_SERVER_TOKEN";

  /** Shorter tokens are refused: they can be guessed. */
  public static final int MIN_LENGTH = 16;

  private final byte[] secret;

  private AccessToken(String token) {
    this.secret = token.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The token of {@code --token-file} when given, else of {@value #VARIABLE}, else none.
   *
   * @throws IllegalArgumentException when the file cannot be read or the token is too short
   */
  public static Optional<AccessToken> from(Path file, Map<String, String> environment) {
    if (file != null) {
      try {
        return Optional.of(of(Files.readString(file).trim(), "the token file " + file));
      } catch (IOException e) {
        throw new IllegalArgumentException("Cannot read the token file " + file + ": " + e.getMessage(), e);
      }
    }
    String value = environment.get(VARIABLE);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(of(value.trim(), VARIABLE));
  }

  /**
   * A token given as text.
   *
   * @param where where it came from, for the message
   * @throws IllegalArgumentException when it is shorter than {@value #MIN_LENGTH} characters
   */
  public static AccessToken of(String token, String where) {
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("The access token in " + where + " has " + token.length()
          + " characters; give at least " + MIN_LENGTH + " (for example the output of: openssl rand -hex 32)");
    }
    return new AccessToken(token);
  }

  /** Whether {@code given} is the token. */
  public boolean matches(String given) {
    return given != null && MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "AccessToken[hidden]";
  }
}
