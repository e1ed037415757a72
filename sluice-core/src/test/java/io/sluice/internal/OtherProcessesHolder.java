package io.sluice.internal;

/** For {@link OtherProcessesTest}: a process that joins a project's runs until its input closes. */
final class OtherProcessesHolder {

  private OtherProcessesHolder() {}

  public static void main(String[] args) throws Exception {
    try (OtherProcesses run = OtherProcesses.join(java.nio.file.Path.of(args[0]))) {
      System.out.println("joined");
      System.out.flush();
      while (System.in.read() != -1) {
        // until the test closes our input
      }
    }
  }
}
