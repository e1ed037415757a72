package io.sluice.domino;

import java.io.IOException;

/** Domino answered a request with an error that retrying does not mend (a 400, a 401 after re-reading the key...). */
public final class DominoApiException extends IOException {

  private final int status;

  DominoApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status Domino answered, or 0 when it never answered (the retry window ran out). */
  public int status() {
    return status;
  }
}
