package io.sluice.scenarios.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A scenario on a fresh single-file pipeline project in a real git repository, closed after each test. */
abstract class PipelineProjectScenario {

  @TempDir Path temp;
  PipelineProject project;

  @BeforeEach
  void createProject() throws Exception {
    Path root = temp.resolve("project");
    Files.createDirectories(root);
    project = PipelineProject.create(root, "", "one");
  }

  @AfterEach
  void closeProject() {
    project.close();
  }

  /** A file of the project, by its path relative to the project's home. */
  Path file(String path) {
    return project.home().resolve(path);
  }
}
