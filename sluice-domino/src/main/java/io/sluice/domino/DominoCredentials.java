package io.sluice.domino;

import io.sluice.SchedulingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * How requests authenticate, from the environment only: {@code DOMINO_USER_API_KEY} (sent as
 * {@code X-Domino-Api-Key}), else the bearer token in the file {@code DOMINO_TOKEN_FILE}, read
 * again whenever the file changes (tokens rotate) and when Domino answers 401 or 409.
 */
final class DominoCredentials {

  private final String apiKey;
  private final Path tokenFile;
  private String token;
  private FileTime tokenModified;
  private long tokenSize = -1;

  private DominoCredentials(String apiKey, Path tokenFile) {
    this.apiKey = apiKey;
    this.tokenFile = tokenFile;
  }

  /**
   * The credentials the environment gives.
   *
   * @throws SchedulingException when it gives none
   */
  static DominoCredentials from(Map<String, String> environment) {
    String key = environment.get("DOMINO_USER_API_KEY");
    if (key != null && !key.isBlank()) {
      return new DominoCredentials(key.strip(), null);
    }
    String file = environment.get("DOMINO_TOKEN_FILE");
    if (file != null && !file.isBlank()) {
      DominoCredentials credentials = new DominoCredentials(null, Path.of(file));
      try {
        credentials.header();
      } catch (IOException e) {
        throw new SchedulingException(e.getMessage());
      }
      return credentials;
    }
    throw new SchedulingException("The Domino backend needs an API key: set DOMINO_USER_API_KEY (your key, from"
        + " Domino's account settings) or DOMINO_TOKEN_FILE (a file holding a bearer token) in the environment");
  }

  /** The header name and value of the current credentials, the token file read again when it changed. */
  synchronized String[] header() throws IOException {
    if (apiKey != null) {
      return new String[] {"X-Domino-Api-Key", apiKey};
    }
    FileTime modified;
    long size;
    try {
      modified = Files.getLastModifiedTime(tokenFile);
      size = Files.size(tokenFile);
    } catch (IOException e) {
      throw new IOException("The Domino token file " + tokenFile + " (DOMINO_TOKEN_FILE) cannot be read: " + e);
    }
    if (token == null || !modified.equals(tokenModified) || size != tokenSize) {
      reload();
    }
    return new String[] {"Authorization", "Bearer " + token};
  }

  /** Reads the token file again (after a 401 or 409); nothing to do for an API key. */
  synchronized void reload() throws IOException {
    if (apiKey != null) {
      return;
    }
    String read;
    try {
      tokenModified = Files.getLastModifiedTime(tokenFile);
      tokenSize = Files.size(tokenFile);
      read = Files.readString(tokenFile).strip();
    } catch (IOException e) {
      throw new IOException("The Domino token file " + tokenFile + " (DOMINO_TOKEN_FILE) cannot be read: " + e);
    }
    if (read.isEmpty()) {
      throw new IOException("The Domino token file " + tokenFile + " (DOMINO_TOKEN_FILE) is empty");
    }
    token = read;
  }

  /** What the credentials are, never their value. */
  @Override
  public String toString() {
    return apiKey != null ? "DOMINO_USER_API_KEY" : "the token in " + tokenFile;
  }
}
