package io.sluice.domino.emulator;

/** A request the emulator answers with an HTTP error status and a JSON {@code {"message": ...}}. */
final class ApiException extends RuntimeException {

  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
