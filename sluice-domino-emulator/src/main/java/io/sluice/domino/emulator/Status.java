package io.sluice.domino.emulator;

import java.util.Arrays;
import java.util.Optional;

/** The statuses an emulated run walks through, with the names Domino gives them. */
enum Status {
  QUEUED("Queued"),
  PREPARING("Preparing"),
  RUNNING("Running"),
  FINISHING("Finishing"),
  STOP_REQUESTED("StopRequested"),
  STOPPING("Stopping"),
  SUCCEEDED("Succeeded"),
  FAILED("Failed"),
  ERROR("Error"),
  STOPPED("Stopped");

  private final String wireName;

  Status(String wireName) {
    this.wireName = wireName;
  }

  String wireName() {
    return wireName;
  }

  boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == ERROR || this == STOPPED;
  }

  /** The final status with this Domino name. */
  static Optional<Status> finalNamed(String name) {
    return Arrays.stream(values()).filter(s -> s.isFinal() && s.wireName.equals(name)).findFirst();
  }
}
