package io.sluice.cli;

import io.sluice.ParameterValues;
import io.sluice.Task;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What every command needs: the configuration, the class loader with the user's classes, the tasks. */
final class Session {

  final ProjectConfig config;
  final ClassLoader loader;
  final TaskCatalog catalog;

  private Session(ProjectConfig config, ClassLoader loader, TaskCatalog catalog) {
    this.config = config;
    this.loader = loader;
    this.catalog = catalog;
  }

  static Session open(CommonOptions options, List<Class<?>> pipelines) {
    ProjectConfig config = ProjectConfig.load(options.config);
    ClassLoader loader = classLoader(options.classpath);
    List<String> packages = new ArrayList<>(options.modules);
    if (packages.isEmpty()) {
      packages.addAll(config.listSetting("tasks", "packages"));
    }
    TaskCatalog catalog = pipelines.isEmpty() || !options.classpath.isEmpty() || !options.modules.isEmpty()
        ? TaskCatalog.scan(loader, packages) : TaskCatalog.declaredIn();
    if (!pipelines.isEmpty()) {
      catalog = catalog.plus(TaskCatalog.declaredIn(pipelines.toArray(Class<?>[]::new)));
    }
    Thread.currentThread().setContextClassLoader(loader);
    return new Session(config, loader, catalog);
  }

  /**
   * The root task named on the command line and the parameter values of its run.
   *
   * @param task the root task, created with the values
   * @param values the command line's and sluice.toml's values, for the run's builder
   */
  record Root(Task task, ParameterValues values) {}

  /** The root task named on the command line, with its parameters. */
  Root rootTask(String name, List<String> parameters) {
    Class<? extends Task> type = catalog.find(name, loader);
    return TaskArguments.rootTask(type, parameters, catalog, loader, config);
  }

  private static ClassLoader classLoader(List<String> entries) {
    ClassLoader parent = Thread.currentThread().getContextClassLoader();
    if (entries.isEmpty()) {
      return parent;
    }
    List<URL> urls = new ArrayList<>();
    for (String entry : entries) {
      for (String part : entry.split(File.pathSeparator)) {
        if (part.isBlank()) {
          continue;
        }
        List<Path> paths = new ArrayList<>();
        if (part.endsWith("/*") || part.equals("*")) {
          Path dir = Path.of(part.substring(0, part.length() - 1));
          try (var listing = Files.list(dir.toString().isEmpty() ? Path.of(".") : dir)) {
            listing.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(paths::add);
          } catch (java.io.IOException e) {
            throw new CliException("Classpath entry " + part + ": cannot list " + dir + ": " + e.getMessage());
          }
        } else {
          Path path = Path.of(part);
          if (!Files.exists(path)) {
            throw new CliException("Classpath entry " + part + " does not exist");
          }
          paths.add(path);
        }
        for (Path path : paths) {
          try {
            urls.add(path.toAbsolutePath().toUri().toURL());
          } catch (MalformedURLException e) {
            throw new CliException("Classpath entry " + path + " is not a valid path: " + e.getMessage());
          }
        }
      }
    }
    return new URLClassLoader(urls.toArray(URL[]::new), parent);
  }
}
