package io.sluice.internal;

import io.sluice.Description;
import io.sluice.Family;
import io.sluice.Param;
import io.sluice.ParameterValues;
import io.sluice.SchedulingException;
import io.sluice.Task;
import io.sluice.TaskInfo;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Sluice knows of a task class: its family (its {@link Family} name, else its simple name)
 * and parameters, read once by reflection.
 */
public final class TaskType {

  private static final ClassValue<TaskType> TYPES = new ClassValue<>() {
    @Override
    protected TaskType computeValue(Class<?> type) {
      return new TaskType(type);
    }
  };

  private static final Pattern FAMILY_NAME = Pattern.compile("\\p{Lu}[\\p{L}\\p{N}_]*");

  private final Class<?> type;
  private final String family;
  private final List<Component> components;
  // The significant components and their names, in declaration order: the names are shared by
  // the ids of every task of this type. Most tasks of a large graph have one, and their ids need
  // no array of values.
  private final Component[] significant;
  private final String[] significantNames;
  private final Constructor<?> constructor;

  private record Component(
      String name, Type type, Method accessor, Param param, boolean significant) {
    String defaultValue() {
      return param == null || Param.NO_DEFAULT.equals(param.defaultValue()) ? null : param.defaultValue();
    }
  }

  private TaskType(Class<?> type) {
    this.type = type;
    this.family = familyOf(type);
    List<Component> found = new ArrayList<>();
    Constructor<?> ctor = null;
    if (type.isRecord()) {
      RecordComponent[] recordComponents = type.getRecordComponents();
      Class<?>[] types = new Class<?>[recordComponents.length];
      for (int i = 0; i < recordComponents.length; i++) {
        RecordComponent rc = recordComponents[i];
        Method accessor = rc.getAccessor();
        accessor.setAccessible(true);
        Param param = rc.getAnnotation(Param.class);
        found.add(new Component(rc.getName(), rc.getGenericType(), accessor, param,
            param == null || param.significant()));
        types[i] = rc.getType();
      }
      try {
        ctor = type.getDeclaredConstructor(types);
        ctor.setAccessible(true);
      } catch (NoSuchMethodException | RuntimeException e) {
        ctor = null;
      }
    } else {
      try {
        ctor = type.getDeclaredConstructor();
        ctor.setAccessible(true);
      } catch (NoSuchMethodException | RuntimeException e) {
        ctor = null;
      }
    }
    this.components = List.copyOf(found);
    List<Component> significant = found.stream().filter(Component::significant).toList();
    this.significant = significant.toArray(new Component[0]);
    this.significantNames = significant.stream().map(Component::name).toArray(String[]::new);
    this.constructor = ctor;
  }

  public static TaskType of(Class<?> type) {
    return TYPES.get(type);
  }

  /** The name given by {@link Family}, else the simple class name. */
  private static String familyOf(Class<?> type) {
    Family named = type.getAnnotation(Family.class);
    if (named == null) {
      return type.getSimpleName();
    }
    // The family is typed on the command line as --Family-name and as a [Family] section.
    if (!FAMILY_NAME.matcher(named.value()).matches()) {
      throw new SchedulingException("@Family('" + named.value() + "') on " + type.getName()
          + " is not a usable family name: it is typed as --Family-param and as a [Family] section of sluice.toml,"
          + " so start it with a capital letter, then letters, digits or '_'");
    }
    return named.value();
  }

  public String family() {
    return family;
  }

  /** The name of the only significant parameter of this type, or null when it has none or several. */
  public String soleSignificantName() {
    return significant.length == 1 ? significantNames[0] : null;
  }

  /** The value of the only significant parameter of {@code task}; see {@link #soleSignificantName()}. */
  public Object soleSignificantValue(Object task) {
    return read(significant[0], task);
  }

  /** The names of the significant parameters in declaration order: shared, never to be written. */
  public String[] significantNames() {
    return significantNames;
  }

  /** The values of the significant parameters of {@code task}, in the order of {@link #significantNames()}. */
  public Object[] significantValues(Object task) {
    Object[] values = new Object[significant.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = read(significant[i], task);
    }
    return values;
  }

  private Object read(Component component, Object task) {
    try {
      return component.accessor().invoke(task);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read parameter " + component.name() + " of " + family, e);
    }
  }

  /** Creates a task: given values first, then the command line, sluice.toml, the default. */
  public <T extends Task> T create(Map<String, ?> given, ParameterValues values) {
    for (String name : given.keySet()) {
      if (components.stream().noneMatch(c -> c.name().equals(name))) {
        throw unknownParameter(name);
      }
    }
    if (constructor == null) {
      throw new SchedulingException("Task " + family + " cannot be created from parameters: "
          + "make it a record, or give it a no-argument constructor");
    }
    Object[] args = new Object[components.size()];
    for (int i = 0; i < args.length; i++) {
      Component component = components.get(i);
      args[i] = value(component, given, values);
    }
    try {
      @SuppressWarnings("unchecked")
      T task = (T) constructor.newInstance(args);
      return task;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new SchedulingException("Task " + family + " refused its parameters: " + cause.getMessage(), cause);
    } catch (ReflectiveOperationException e) {
      throw new SchedulingException("Task " + family + " cannot be created: " + e, e);
    }
  }

  /** An error for a parameter name this type does not have, suggesting the closest one. */
  public SchedulingException unknownParameter(String name) {
    List<String> names = components.stream().map(Component::name).toList();
    String message = "Unknown parameter '" + name + "' of task " + family + ".";
    Optional<String> closest = Names.closest(name, names);
    if (closest.isPresent()) {
      message += " Did you mean '" + closest.get() + "'?";
    }
    message += names.isEmpty() ? " It has no parameters." : " Its parameters: " + String.join(", ", names) + ".";
    return new SchedulingException(message);
  }

  private Object value(Component component, Map<String, ?> given, ParameterValues values) {
    String source;
    Object raw;
    if (given.containsKey(component.name())) {
      raw = given.get(component.name());
      source = "the code";
    } else {
      Optional<ParameterValues.Sourced> sourced = values.lookup(family, component.name());
      if (sourced.isPresent()) {
        raw = sourced.get().value();
        source = sourced.get().source();
      } else if (component.defaultValue() != null) {
        raw = component.defaultValue();
        source = "its default";
      } else {
        throw new SchedulingException("Missing parameter '" + component.name() + "' of task " + family
            + " (" + ParamConverter.typeName(component.type()) + "): give it as --" + component.name()
            + " (or --" + family + "-" + component.name() + "), in a [" + family
            + "] section of sluice.toml, or as a default with @Param(defaultValue = ...)");
      }
    }
    try {
      return ParamConverter.convert(raw, component.type());
    } catch (IllegalArgumentException e) {
      throw new SchedulingException("Bad value for parameter '" + component.name() + "' of task " + family
          + " from " + source + ": '" + raw + "' is not " + ParamConverter.expected(component.type()) + "");
    }
  }

  /** The parameter names of this type. */
  public List<String> parameterNames() {
    return components.stream().map(Component::name).toList();
  }

  /** Describes this type for listings and help. */
  @SuppressWarnings("unchecked")
  public TaskInfo info() {
    Description description = type.getAnnotation(Description.class);
    return new TaskInfo(family, (Class<? extends Task>) type,
        description == null ? "" : description.value(),
        components.stream().map(c -> new TaskInfo.ParamInfo(c.name(), ParamConverter.typeName(c.type()),
            c.defaultValue(), c.param() == null ? "" : c.param().description(), c.significant()))
            .collect(Collectors.toList()));
  }
}
