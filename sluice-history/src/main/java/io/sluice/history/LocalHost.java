package io.sluice.history;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's name as runs record it, so that a reader knows which recorded processes it can see. */
public final class LocalHost {

  private LocalHost() {}

  /** The host name, else {@code HOSTNAME}, else {@code unknown}. */
  public static String name() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String fromEnvironment = System.getenv("HOSTNAME");
      return fromEnvironment != null ? fromEnvironment : "unknown";
    }
  }
}
