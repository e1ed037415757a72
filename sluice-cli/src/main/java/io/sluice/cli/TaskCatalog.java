package io.sluice.cli;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import io.sluice.SchedulingException;
import io.sluice.Task;
import io.sluice.Tasks;
import io.sluice.internal.Names;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The task classes a command can name: found on the classpath, or given by a pipeline file. */
final class TaskCatalog {

  /** Packages of libraries that never hold a user's tasks; skipped to keep scanning fast. */
  private static final String[] LIBRARY_PACKAGES = {
    "java", "javax", "jdk", "sun", "com.sun", "org.slf4j", "picocli", "io.github.classgraph",
    "nonapi.io.github.classgraph", "com.fasterxml", "org.tribuo", "com.oracle.labs", "org.junit",
    "org.assertj", "org.opentest4j", "org.apiguardian", "com.google", "ai.onnxruntime", "org.eclipse",
    "io.fabric8", "org.apache", "kotlin", "scala", "net.bytebuddy", "org.objenesis",
    // The libraries sluice.jar bundles, relocated there.
    "io.sluice.shaded"
  };

  private final List<Class<? extends Task>> tasks;

  private TaskCatalog(Collection<Class<? extends Task>> tasks) {
    this.tasks = tasks.stream().distinct().sorted(Comparator.comparing(Class::getName)).toList();
  }

  /** The concrete task classes on the class loader's classpath, in the packages if any are given. */
  static TaskCatalog scan(ClassLoader loader, List<String> packages) {
    ClassGraph graph = new ClassGraph().enableClassInfo().ignoreClassVisibility().addClassLoader(loader);
    if (packages.isEmpty()) {
      graph.rejectPackages(LIBRARY_PACKAGES);
    } else {
      graph.acceptPackages(packages.toArray(String[]::new));
    }
    List<Class<? extends Task>> found = new ArrayList<>();
    try (ScanResult scan = graph.scan()) {
      for (ClassInfo info : scan.getClassesImplementing(Task.class.getName())) {
        if (info.isInterface() || info.isAbstract() || info.isAnonymousInnerClass()) {
          continue;
        }
        Class<?> type = info.loadClass(true);
        if (type != null && Task.class.isAssignableFrom(type)) {
          found.add(type.asSubclass(Task.class));
        }
      }
    }
    return new TaskCatalog(found);
  }

  /** The task classes declared in a pipeline class (a single-file pipeline), nested ones included. */
  static TaskCatalog declaredIn(Class<?>... hosts) {
    List<Class<? extends Task>> found = new ArrayList<>();
    for (Class<?> host : hosts) {
      collect(host, found);
    }
    return new TaskCatalog(found);
  }

  private static void collect(Class<?> type, List<Class<? extends Task>> found) {
    if (Task.class.isAssignableFrom(type) && !type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
      found.add(type.asSubclass(Task.class));
    }
    for (Class<?> nested : type.getDeclaredClasses()) {
      collect(nested, found);
    }
  }

  TaskCatalog plus(TaskCatalog other) {
    List<Class<? extends Task>> all = new ArrayList<>(tasks);
    all.addAll(other.tasks);
    return new TaskCatalog(all);
  }

  List<Class<? extends Task>> all() {
    return tasks;
  }

  /** Family names ({@link io.sluice.Family} names, else simple class names). */
  List<String> families() {
    return tasks.stream().map(TaskCatalog::family).distinct().toList();
  }

  boolean hasFamily(String family) {
    return tasks.stream().anyMatch(t -> family(t).equals(family));
  }

  /**
   * A task class's family; its simple name when its {@link io.sluice.Family} is unusable, so that
   * one bad class does not hide the others: using it reports the bad name.
   */
  static String family(Class<? extends Task> type) {
    try {
      return Tasks.describe(type).family();
    } catch (SchedulingException e) {
      return type.getSimpleName();
    }
  }

  /**
   * The task class with this family, fully qualified name or simple class name, in that order.
   *
   * @throws CliException for an unknown or ambiguous name, with suggestions
   */
  Class<? extends Task> find(String name, ClassLoader loader) {
    List<Class<? extends Task>> matches = tasks.stream()
        .filter(t -> t.getName().equals(name) || t.getName().replace('$', '.').equals(name))
        .toList();
    if (matches.isEmpty()) {
      matches = tasks.stream().filter(t -> family(t).equals(name)).toList();
    }
    if (matches.isEmpty()) {
      matches = tasks.stream().filter(t -> t.getSimpleName().equals(name)).toList();
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.size() > 1) {
      throw new CliException("Task name '" + name + "' is ambiguous: it names "
          + matches.stream().map(Class::getName).collect(Collectors.joining(" and "))
          + ". Name one by its fully qualified name (such as " + matches.get(0).getName().replace('$', '.')
          + "), or give the classes families of their own with @Family(\"...\") to use in one pipeline.");
    }
    if (name.contains(".")) {
      try {
        Class<?> type = Class.forName(name, true, loader);
        if (Task.class.isAssignableFrom(type)) {
          return type.asSubclass(Task.class);
        }
        throw new CliException("Class " + name + " is not a task: it does not implement io.sluice.Task");
      } catch (ClassNotFoundException e) {
        // fall through to the suggestion
      }
    }
    StringBuilder message = new StringBuilder("Unknown task '").append(name).append("'.");
    Optional<String> closest = Names.closest(name, families());
    closest.ifPresent(c -> message.append(" Did you mean '").append(c).append("'?"));
    if (tasks.isEmpty()) {
      message.append(" No tasks were found on the classpath: add your classes with --classpath,"
          + " or name their packages with --module or [tasks] packages in sluice.toml.");
    } else if (closest.isEmpty()) {
      message.append(" Known tasks: ").append(String.join(", ", families().stream().limit(20).toList()))
          .append(tasks.size() > 20 ? ", ..." : "").append(". Run 'sluice list' for details.");
    }
    throw new CliException(message.toString());
  }

  @Override
  public String toString() {
    return Arrays.toString(tasks.toArray());
  }
}
