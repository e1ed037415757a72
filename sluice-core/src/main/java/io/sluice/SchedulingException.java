package io.sluice;

/**
 * A pipeline that cannot be scheduled: an unknown task, a bad parameter, a cycle, a resource
 * request above the total. Its message says what and where.
 */
public class SchedulingException extends RuntimeException {

  public SchedulingException(String message) {
    super(message);
  }

  public SchedulingException(String message, Throwable cause) {
    super(message, cause);
  }
}
